/// `host:port` of an InstanceKey object in a parsed answer, or of an Instance's `Key`.
func keyText(_ value: Any?) -> String {
    let object = value as? [String: Any]
    let key = (object?["Key"] as? [String: Any]) ?? object
    return "\(key?["Hostname"] as? String ?? ""):\(key?["Port"] as? Int ?? 0)"
}

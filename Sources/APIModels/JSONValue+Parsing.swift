import Foundation

extension JSONValue {
    /// Parses JSON text. Object members come back sorted by key: `JSONSerialization` does not
    /// keep the document's order, which only matters for output, never for reading fields.
    /// Throws Foundation's error for malformed text.
    package init(parsing data: Data) throws {
        self = Self.convert(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Parses JSON text given as a string.
    package init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    private static func convert(_ value: Any) -> JSONValue {
        switch value {
        case is NSNull: return .null
        case let number as NSNumber: return convert(number)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(array.map(convert))
        case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, convert(object[$0] ?? NSNull())) })
        default: return .null
        }
    }

    /// Booleans and numbers both arrive as `NSNumber`; a boolean reports the `c` (char) type on
    /// both Darwin and Linux Foundation. Integers stay integers so that 64-bit values such as
    /// nanosecond latencies keep every digit.
    private static func convert(_ number: NSNumber) -> JSONValue {
        let type = String(cString: number.objCType)
        if type == "c" || type == "B" { return .bool(number.boolValue) }
        if ["q", "l", "i", "s"].contains(type) { return .int(number.int64Value) }
        if ["Q", "L", "I", "S", "C"].contains(type) {
            return number.uint64Value <= UInt64(Int64.max) ? .int(number.int64Value) : .double(number.doubleValue)
        }
        let double = number.doubleValue
        if let whole = Int64(exactly: double), !"\(number)".contains(".") { return .int(whole) }
        return .double(double)
    }
}

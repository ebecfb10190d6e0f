extension JSONValue {
    /// Compact text exactly as Go's `encoding/json` writes it (orchestrator was built with a Go
    /// older than 1.22): no whitespace, no trailing newline; in strings `"` `\` `\n` `\r` `\t`
    /// get short escapes, other controls `\u00XX`, and `<` `>` `&` U+2028 U+2029 are escaped
    /// (`\u003c` …) because Go escapes HTML-significant characters by default.
    package func serialized() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .int(value): output += String(value)
        case let .double(value): output += Self.goFloat(value)
        case let .string(value): Self.writeString(value, to: &output)
        case let .array(values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case let .object(members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Go prints whole floats without a fraction (`3`, not `3.0`). Go refuses NaN and ±Inf;
    /// we write `null` rather than fail an answer.
    private static func goFloat(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e21, let whole = Int64(exactly: value) { return String(whole) }
        return String(value)
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": output += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += unicodeEscape(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `\uXXXX` with lowercase hex digits, as Go writes it.
    private static func unicodeEscape(_ value: UInt32) -> String {
        var text = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            text.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
        return text
    }
}

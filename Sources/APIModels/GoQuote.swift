/// Go's `strconv.QuoteToASCII`, which orchestrator applies to replication error texts:
/// `""` stays empty, anything else is wrapped in quotes with non-ASCII and controls escaped.
enum GoQuote {
    static func quote(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    output += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x80 {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xffff {
                    output += "\\u" + hex(scalar.value, width: 4)
                } else {
                    output += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return output + "\""
    }

    /// The reverse, for JSON read back from orchestrator; text that is not quoted is kept.
    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var output = ""
        var scalars = Array(text.unicodeScalars.dropFirst().dropLast())[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let escape = scalars.popFirst() else { output.unicodeScalars.append(scalar); continue }
            switch escape {
            case "n": output += "\n"
            case "r": output += "\r"
            case "t": output += "\t"
            case "x", "u", "U":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                let digits = String(String.UnicodeScalarView(scalars.prefix(width)))
                scalars = scalars.dropFirst(width)
                if let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) { output.unicodeScalars.append(decoded) }
            default: output.unicodeScalars.append(escape)
            }
        }
        return output
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

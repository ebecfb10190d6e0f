/// Go's `strconv.QuoteToASCII`, which orchestrator applies to `Last_SQL_Error`/`Last_IO_Error`
/// before storing them: `""` stays empty, any other text is wrapped in double quotes with `"`
/// and `\` escaped, controls as `\n`-style or `\xXX` escapes and non-ASCII as `\uXXXX`/`\UXXXXXXXX`.
/// `Instance` keeps the raw server text; the quoting exists only on the wire.
enum GoQuote {
    static func quote(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var output = "\""
        for scalar in text.unicodeScalars {
            if let short = shortEscapes.first(where: { $0.scalar == scalar }) {
                output += "\\" + String(short.letter)
            } else if scalar.value < 0x20 || scalar.value == 0x7f {
                output += "\\x" + hex(scalar.value, width: 2)
            } else if scalar.value < 0x80 {
                output.unicodeScalars.append(scalar)
            } else if scalar.value <= 0xffff {
                output += "\\u" + hex(scalar.value, width: 4)
            } else {
                output += "\\U" + hex(scalar.value, width: 8)
            }
        }
        return output + "\""
    }

    /// The reverse, for JSON read back from orchestrator. Text that is not a quoted literal is
    /// returned as it is (a peer that did not quote), as is an escape Go would not have written.
    static func unquote(_ text: String) -> String {
        guard text.unicodeScalars.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var output = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars.dropFirst().dropLast())[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let escape = scalars.popFirst() else {
                output.append(scalar)
                continue
            }
            if let short = shortEscapes.first(where: { $0.letter == escape }) {
                output.append(short.scalar)
                continue
            }
            let width: Int? = switch escape {
            case "x": 2
            case "u": 4
            case "U": 8
            default: nil
            }
            guard let width else {
                output.append(escape)
                continue
            }
            let digits = String(String.UnicodeScalarView(scalars.prefix(width)))
            if digits.count == width, let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) {
                output.append(decoded)
                scalars = scalars.dropFirst(width)
            } else {
                output.append(contentsOf: ["\\", escape])
            }
        }
        return String(output)
    }

    /// Go's one-letter escapes (`\"` and `\\` included).
    private static let shortEscapes: [(scalar: Unicode.Scalar, letter: Unicode.Scalar)] = [
        ("\u{07}", "a"), ("\u{08}", "b"), ("\u{0C}", "f"), ("\n", "n"), ("\r", "r"), ("\t", "t"), ("\u{0B}", "v"),
        ("\"", "\""), ("\\", "\\"),
    ]

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

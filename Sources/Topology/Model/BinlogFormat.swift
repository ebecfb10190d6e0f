/// `STATEMENT` < `MIXED` < `ROW`: a replica logging in a format may replicate from a source using
/// the same or a "smaller" one.
package enum BinlogFormat: Int, Sendable, Comparable {
    case statement, mixed, row

    package init?(_ text: String) {
        switch text.uppercased() {
        case "STATEMENT": self = .statement
        case "MIXED": self = .mixed
        case "ROW": self = .row
        default: return nil
        }
    }

    package static func < (lhs: BinlogFormat, rhs: BinlogFormat) -> Bool { lhs.rawValue < rhs.rawValue }
}

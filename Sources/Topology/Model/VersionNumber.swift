/// `10.11` as numbers, so that 10.11 sorts after 10.6.
package struct VersionNumber: Sendable, Comparable {
    var components: [Int]

    package init?(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        components = parts.compactMap { $0 }
    }

    package static func < (lhs: VersionNumber, rhs: VersionNumber) -> Bool { lhs.components.lexicographicallyPrecedes(rhs.components) }
}

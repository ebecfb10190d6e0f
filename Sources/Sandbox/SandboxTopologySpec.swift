import Foundation

/// A sandbox topology such as `"1>0,2>0,3>2"`: instance 0 is the first master and `a>b`
/// means instance a replicates from instance b. Instances are numbered 0..<n without gaps;
/// a bare number (`"0"`, or `"0,1"` for two separate masters) names an instance with no master.
package struct SandboxTopologySpec: Sendable, Equatable, CustomStringConvertible {
    /// Index → master index (`nil` for masters).
    package let masters: [Int?]

    /// Enough for any test or demo, and keeps `basePort + index` a small range.
    package static let maximumInstances = 100

    package init(parsing text: String) throws(SandboxError) {
        var masters: [Int: Int] = [:]
        var mentioned: [Int: String] = [0: "0"]  // index → first token naming it
        let tokens = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard tokens.contains(where: { !$0.isEmpty }) else {
            throw .invalidSpec(text: text, token: text, reason: "empty topology (use \"0\" for a lone master)")
        }
        for token in tokens {
            let parts = token.split(separator: ">", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = parts.map { Int($0) }
            guard (1...2).contains(parts.count), numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw .invalidSpec(text: text, token: token, reason: "expected an instance number or replica>master, e.g. 1>0")
            }
            let indices = numbers.compactMap { $0 }
            if let large = indices.first(where: { $0 >= Self.maximumInstances }) {
                throw .invalidSpec(text: text, token: token, reason: "instance \(large) is beyond the limit of \(Self.maximumInstances) instances")
            }
            for index in indices where mentioned[index] == nil { mentioned[index] = token }
            guard indices.count == 2 else { continue }
            let (replica, master) = (indices[0], indices[1])
            guard replica != master else { throw .invalidSpec(text: text, token: token, reason: "an instance cannot replicate from itself") }
            guard replica != 0 else { throw .invalidSpec(text: text, token: token, reason: "instance 0 is the first master and replicates from nobody") }
            if let existing = masters[replica] {
                throw .invalidSpec(text: text, token: token, reason: "instance \(replica) already replicates from \(existing)")
            }
            masters[replica] = master
        }
        let count = (mentioned.keys.max() ?? 0) + 1
        if let missing = (0..<count).first(where: { mentioned[$0] == nil }) {
            let culprit = mentioned.filter { $0.key > missing }.min { $0.key < $1.key }?.value ?? text
            throw .invalidSpec(text: text, token: culprit, reason: "instance \(missing) is missing: instances are numbered 0..<\(count) without gaps")
        }
        for start in 0..<count {
            var seen: Set<Int> = [start]
            var current = start
            while let next = masters[current] {
                guard seen.insert(next).inserted else {
                    throw .invalidSpec(text: text, token: "\(current)>\(next)", reason: "replication cycle through instance \(next)")
                }
                current = next
            }
        }
        self.masters = (0..<count).map { masters[$0] }
    }

    package var instanceCount: Int { masters.count }
    package func master(of index: Int) -> Int? { masters.indices.contains(index) ? masters[index] : nil }

    /// The canonical spec, parseable again: `"1>0,2>0,3>2"`, `"0"` for a lone master.
    package var description: String {
        let tokens = masters.enumerated().compactMap { index, master -> String? in
            if let master { return "\(index)>\(master)" }
            return index == 0 ? nil : "\(index)"
        }
        return tokens.isEmpty ? "0" : tokens.joined(separator: ",")
    }
}

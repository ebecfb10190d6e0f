/// A sandbox topology such as `"1>0,2>0,3>2"`: instance 0 is the first master and `a>b`
/// means instance a replicates from instance b. Instances are numbered 0..<n without gaps.
package struct SandboxTopologySpec: Sendable, Equatable, CustomStringConvertible {
    /// Index → master index (`nil` for masters).
    package let masters: [Int?]

    package init(parsing text: String) throws(SandboxError) {
        var links: [Int: Int?] = [0: nil]
        for rawToken in text.split(separator: ",") {
            let token = rawToken.trimmingCharacters(in: .whitespaces)
            if token.isEmpty { continue }
            let parts = token.split(separator: ">", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                guard let index = Int(parts[0]), index >= 0 else { throw .invalidSpec(text: text, token: token, reason: "not an instance number") }
                if links[index] == nil { links[index] = .some(nil) }
            case 2:
                guard let replica = Int(parts[0]), let master = Int(parts[1]), replica >= 0, master >= 0 else {
                    throw .invalidSpec(text: text, token: token, reason: "expected replica>master with instance numbers")
                }
                guard replica != master else { throw .invalidSpec(text: text, token: token, reason: "an instance cannot replicate from itself") }
                if let existing = links[replica], existing != nil {
                    throw .invalidSpec(text: text, token: token, reason: "instance \(replica) already has a master")
                }
                links[replica] = .some(master)
                if links[master] == nil { links[master] = .some(nil) }
            default:
                throw .invalidSpec(text: text, token: token, reason: "expected replica>master")
            }
        }
        let count = (links.keys.max() ?? 0) + 1
        guard links.count == count else {
            let missing = (0..<count).first { links[$0] == nil } ?? 0
            throw .invalidSpec(text: text, token: "\(missing)", reason: "instances must be numbered 0..<\(count) without gaps")
        }
        let masters = (0..<count).map { links[$0] ?? nil }
        for start in 0..<count {
            var seen: Set<Int> = [start]
            var current = start
            while let next = masters[current] {
                guard seen.insert(next).inserted else {
                    throw .invalidSpec(text: text, token: "\(start)>\(masters[start] ?? 0)", reason: "replication cycle")
                }
                current = next
            }
        }
        self.masters = masters
    }

    package var instanceCount: Int { masters.count }
    package func master(of index: Int) -> Int? { masters.indices.contains(index) ? masters[index] : nil }

    package var description: String {
        masters.enumerated().compactMap { index, master in master.map { "\(index)>\($0)" } }.joined(separator: ",")
    }
}

/// A sandbox that cannot be built, started or stopped.
package enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSpec(text: String, token: String, reason: String)
    case command(String)
    case startFailed(instance: Int, reason: String)
    case unknownInstance(Int)
    case state(String)

    package var description: String {
        switch self {
        case let .invalidSpec(text, token, reason): "invalid sandbox topology '\(text)' at '\(token)': \(reason)"
        case let .command(message): message
        case let .startFailed(instance, reason): "sandbox instance \(instance) did not start: \(reason)"
        case let .unknownInstance(index): "no sandbox instance \(index)"
        case let .state(message): message
        }
    }
}

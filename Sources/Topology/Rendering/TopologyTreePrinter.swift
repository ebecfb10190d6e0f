import Foundation

/// Renders a cluster as orchestrator's ASCII tree (the `topology` chatops format):
/// one line per instance, `+ `/`- ` markers indented per depth, descriptions aligned.
package struct TopologyTreePrinter: Sendable {
    package var statusDescription: InstanceStatusDescription

    package init(description: InstanceStatusDescription) {
        self.statusDescription = description
    }

    /// Lines joined by `\n`, without a trailing newline.
    package func render(_ instances: [Instance], now: Date) -> String {
        plainLines(instances, now: now) { _ in "" }
    }

    /// The `topology-tags` variant: each line of `render` followed by a space and the
    /// instance's tags in brackets, ordered by name, each `name` or `name=value` (`[]` when it
    /// has none). Descriptions are aligned as in `render`; the tags are not.
    /// `tags` holds each instance's tags, name → value.
    package func renderWithTags(_ instances: [Instance], tags: [InstanceKey: [String: String]], now: Date) -> String {
        plainLines(instances, now: now) { key in
            let shown = (tags[key] ?? [:]).map { InstanceTag(name: $0.key, value: $0.value) }.sorted().map(\.display)
            return " [" + shown.joined(separator: ",") + "]"
        }
    }

    /// The plain form's lines, each followed by `suffix(key)`, aligned and joined.
    private func plainLines(_ instances: [Instance], now: Date, suffix: (InstanceKey) -> String) -> String {
        let lines = treeRows(instances).map { row in
            "\(prefix(row.instance, depth: row.depth, now: now))\(label(row.instance)) \(statusDescription.bracketed(row.instance, now: now))\(suffix(row.instance.key))"
        }
        return Self.alignBrackets(lines).joined(separator: "\n")
    }

    /// The pipe-separated, column-aligned variant (`topology-tabulated`).
    package func renderTabulated(_ instances: [Instance], now: Date) -> String {
        let cells = treeRows(instances).map { row in
            ["\(prefix(row.instance, depth: row.depth, now: now))\(label(row.instance))"] + statusDescription.tokens(for: row.instance, now: now)
        }
        guard let columnCount = cells.first?.count else { return "" }
        let widths = (0..<columnCount).map { column in cells.map { $0[column].utf8.count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.utf8.count)
                return column == 1 ? padding + cell : cell + padding
            }.joined(separator: "|")
        }.joined(separator: "\n")
    }

    /// Depth-first, pre-order rows, following orchestrator's tree rules (root, or co-masters at depth 1).
    package func treeRows(_ instances: [Instance]) -> [(instance: Instance, depth: Int)] {
        let ordered = instances.sorted { $0.key < $1.key }
        let byKey = Dictionary(ordered.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var children: [InstanceKey: [Instance]] = [:]
        var root: Instance?
        for instance in ordered {
            if instance.masterKey != instance.key, byKey[instance.masterKey] != nil {
                children[instance.masterKey, default: []].append(instance)
            } else {
                root = instance
            }
        }
        var rows: [(Instance, Int)] = []
        var visited: Set<InstanceKey> = []
        func visit(_ instance: Instance, depth: Int) {
            // A co-master met below depth 1 starts its own branch instead (this stops the ring).
            if depth > 1, instance.isCoMaster, root == nil { return }
            guard visited.insert(instance.key).inserted else { return }
            rows.append((instance, depth))
            for child in children[instance.key] ?? [] { visit(child, depth: depth + 1) }
        }
        if let root {
            visit(root, depth: 0)
        } else {
            for instance in ordered where instance.isCoMaster { visit(instance, depth: 1) }
        }
        return rows
    }

    private func prefix(_ instance: Instance, depth: Int, now: Date) -> String {
        guard depth > 0 else { return "" }
        let healthy = instance.isReplicationRunning && instance.isLastCheckValid
            && instance.isRecentlyChecked(now: now, pollSeconds: statusDescription.pollSeconds)
        return String(repeating: " ", count: 2 * (depth - 1)) + (healthy ? "+ " : "- ")
    }

    private func label(_ instance: Instance) -> String {
        instance.instanceAlias.isEmpty ? "\(instance.key)" : "\(instance.key) (\(instance.instanceAlias))"
    }

    /// Pads each line before its first `[` so every description starts at the same byte offset.
    static func alignBrackets(_ lines: [String]) -> [String] {
        let offsets = lines.map { line in line.utf8.firstIndex(of: UInt8(ascii: "[")).map { line.utf8.distance(from: line.utf8.startIndex, to: $0) } }
        let target = offsets.compactMap { $0 }.max() ?? 0
        return zip(lines, offsets).map { line, offset in
            guard let offset, offset < target else { return line }
            let utf8 = Array(line.utf8)
            let padded = utf8[..<offset] + Array(repeating: UInt8(ascii: " "), count: target - offset) + utf8[offset...]
            return String(decoding: padded, as: UTF8.self)
        }
    }
}

import Foundation

/// The `tagged` selection: instances that satisfy every spec of a comma-separated list.
/// As in orchestrator, only instances that carry at least one tag are considered, so `~name`
/// alone lists the tagged instances without `name`, not every known instance.
package struct TagQuery: Sendable, Hashable {
    package var specs: [TagSpec]

    /// Parses `name`, `name=value`, `~name`, `~name=value` joined by `,` (`!` for `~`).
    package init(parsing text: String) throws(TagSpecError) {
        specs = try TagSpec.parseList(text)
    }

    /// Whether an instance carrying `tags` satisfies every spec.
    package func matches(_ tags: [String: String]) -> Bool {
        specs.allSatisfy { $0.matches(tags) }
    }

    /// The instances of `tagsByInstance` (every instance's tags, name → value) that match,
    /// sorted by host then port.
    package func select(from tagsByInstance: [InstanceKey: [String: String]]) -> [InstanceKey] {
        tagsByInstance.filter { !$0.value.isEmpty && matches($0.value) }.keys.sorted()
    }
}

import Foundation

/// One tag an instance carries (orchestrator's `database_instance_tags` row): a name and a
/// value, the value empty for a valueless tag such as `backup`.
package struct InstanceTag: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `name=value`, also for a valueless tag (`name=`): the form of the `tags` route and of
    /// orchestrator's `Tag.String()`.
    package var description: String { "\(name)=\(value)" }

    /// `name` when valueless, else `name=value`: the form `topology-tags` prints.
    package var display: String { value.isEmpty ? name : description }

    package static func < (lhs: InstanceTag, rhs: InstanceTag) -> Bool {
        lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
    }
}

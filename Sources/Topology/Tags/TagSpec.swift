import Foundation

/// A tag as a request names it (orchestrator's `Tag`): `name`, `name=value`, and — to select
/// instances with `tagged` — the negations `~name` (does not carry the tag) and `~name=value`
/// (carries the tag with another value). A leading `!` is read as `~`.
package struct TagSpec: Sendable, Hashable, CustomStringConvertible {
    package var name: String
    /// `nil` when the spec gave no `=`; `""` for `name=`.
    package var value: String?
    package var isNegated: Bool

    /// A spec from a name and an optional value, as the `:tagName`/`:tagValue` path parameters
    /// carry them; both are trimmed, and the name must not be empty.
    package init(name: String, value: String?, isNegated: Bool = false) throws(TagSpecError) {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty else { throw .emptyName(spec: "\(isNegated ? "~" : "")\(name)\(value.map { "=\($0)" } ?? "")") }
        self.name = trimmedName
        self.value = value?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.isNegated = isNegated
    }

    /// Parses one spec: `name`, `name=value`, `~name`, `~name=value` (`!` for `~`). The text is
    /// trimmed (the bash client appends a newline); the name ends at the first `=`, so a value
    /// may itself contain `=`.
    package init(parsing text: String) throws(TagSpecError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !rest.isEmpty else { throw .empty }
        let isNegated = rest.first == "~" || rest.first == "!"
        if isNegated { rest = rest.dropFirst() }
        if let equals = rest.firstIndex(of: "=") {
            try self.init(name: String(rest[..<equals]), value: String(rest[rest.index(after: equals)...]), isNegated: isNegated)
        } else {
            try self.init(name: String(rest), value: nil, isNegated: isNegated)
        }
    }

    /// Parses a comma-separated list (`tagged`): every element must be a valid spec.
    package static func parseList(_ text: String) throws(TagSpecError) -> [TagSpec] {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .empty }
        var specs: [TagSpec] = []
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            specs.append(try TagSpec(parsing: String(element)))
        }
        return specs
    }

    /// Whether an instance carrying `tags` (name → value) satisfies this spec:
    /// `name` — carries it; `name=value` — carries it with that value; `~name` — does not carry
    /// it; `~name=value` — carries it with another value (orchestrator's SQL `tag_value != ?`).
    package func matches(_ tags: [String: String]) -> Bool {
        let carried = tags[name]
        switch (isNegated, value) {
        case (false, nil): return carried != nil
        case let (false, wanted?): return carried == wanted
        case (true, nil): return carried == nil
        case let (true, unwanted?): return carried.map { $0 != unwanted } ?? false
        }
    }

    /// The tag to set: a negated spec cannot be set; a spec without value sets an empty value.
    package func assignment() throws(TagSpecError) -> InstanceTag {
        guard !isNegated else { throw .negationNotAllowed(spec: description, action: "set") }
        return InstanceTag(name: name, value: value ?? "")
    }

    /// The tag name to read (`tag-value`): a value in the spec is ignored, a negation refused.
    package func nameToRead() throws(TagSpecError) -> String {
        guard !isNegated else { throw .negationNotAllowed(spec: description, action: "read") }
        return name
    }

    /// Checks that the spec can say which tags to remove: never a negation, and across every
    /// instance only with a value (orchestrator will not remove a tag name from all instances).
    package func removal(acrossAllInstances: Bool) throws(TagSpecError) -> TagSpec {
        guard !isNegated else { throw .negationNotAllowed(spec: description, action: "removed") }
        if acrossAllInstances, value == nil { throw .valueNeededAcrossInstances(name: name) }
        return self
    }

    /// The spec as written, `~` for a negation: `role`, `role=primary`, `~backup`.
    package var description: String { "\(isNegated ? "~" : "")\(name)\(value.map { "=\($0)" } ?? "")" }
}

/// Why a tag spec cannot be used, in words an operator can act on.
package enum TagSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No spec at all (no `?tag=`, no path parameters, or only spaces).
    case empty
    /// `=value`, `~`, `~=value`: nothing names the tag.
    case emptyName(spec: String)
    /// `~name` where a tag is set, read or removed.
    case negationNotAllowed(spec: String, action: String)
    /// `untag-all` with a bare name.
    case valueNeededAcrossInstances(name: String)

    package var description: String {
        switch self {
        case .empty:
            "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value"
        case let .emptyName(spec):
            "Unable to parse tag: \(spec): empty tag name"
        case let .negationNotAllowed(spec, action):
            "Unable to use tag \(spec): a negated tag selects instances (tagged) and cannot be \(action)"
        case let .valueNeededAcrossInstances(name):
            "Will not remove tag \(name) from every instance without a value: give \(name)=value, or untag one instance"
        }
    }
}

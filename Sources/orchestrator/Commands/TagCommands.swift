import ArgumentParser
import Foundation

/// `-t/--tag`, a tag spec: `name`, `name=value` (and for `tagged`: `~name`, `~name=value`, comma-separated).
struct TagOption: ParsableArguments {
    @Option(name: .shortAndLong, help: "Tag: name or name=value (tagged: also ~name, ~name=value, comma-separated).") var tag: String

    /// `tag=<spec>` for the query string, percent-encoded.
    var query: String {
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+#"))
        return "tag=\(tag.addingPercentEncoding(withAllowedCharacters: allowed) ?? tag)"
    }
}


struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Tag an instance (prints the instance).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @OptionGroup var tag: TagOption

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("tag/\(try target.path)?\(tag.query)")
            print(keyText((json as? [String: Any])?["Details"]))
        }
    }
}

struct UntagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "untag", abstract: "Remove a tag from an instance (prints the instance when it had it).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @OptionGroup var tag: TagOption

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("untag/\(try target.path)?\(tag.query)")
            for key in (json as? [String: Any])?["Details"] as? [Any] ?? [] { print(keyText(key)) }
        }
    }
}

struct UntagAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "untag-all", abstract: "Remove name=value from every instance (prints those that had it).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var tag: TagOption

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("untag-all?\(tag.query)")
            for key in (json as? [String: Any])?["Details"] as? [Any] ?? [] { print(keyText(key)) }
        }
    }
}

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tags", abstract: "List an instance's tags, name=value each.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            for tag in try await options.client.get("tags/\(try target.path)") as? [String] ?? [] { print(tag) }
        }
    }
}

struct TagValueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag-value", abstract: "Print the value of an instance's tag.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @OptionGroup var tag: TagOption

    func run() async throws {
        try await runClient {
            print(try await options.client.get("tag-value/\(try target.path)?\(tag.query)") as? String ?? "")
        }
    }
}

struct TaggedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tagged", abstract: "List the instances carrying every tag of a spec list.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var tag: TagOption

    func run() async throws {
        try await runClient {
            for key in try await options.client.get("tagged?\(tag.query)") as? [Any] ?? [] { print(keyText(key)) }
        }
    }
}

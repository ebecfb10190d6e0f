/// orchestrator's own command-line form, `orchestrator -c COMMAND -i host:port -d host:port
/// -alias A -owner O -reason R …`, turned into this executable's subcommands, so scripts and
/// muscle memory keep working. `nil` when the arguments are not in that form.
enum LegacyCommandLine {
    /// Replication-control commands, run as `replication <command>`.
    static let controlCommands: Set<String> = Set(ReplicationControlCommand.routes)

    /// orchestrator's older spellings of the commands we name differently.
    static let synonyms: [String: String] = [
        "relocate-below": "relocate", "relocate-slaves": "relocate-replicas", "move-up-slaves": "move-up-replicas",
        "move-slaves-gtid": "move-replicas-gtid", "move-below-gtid": "move-gtid", "repoint-slaves": "repoint-replicas",
        "enslave-master": "take-master", "enslave-siblings": "take-siblings", "regroup-slaves": "regroup-replicas",
        "start-slave": "start-replica", "stop-slave": "stop-replica", "stop-slave-nice": "stop-replica-nice",
        "restart-slave": "restart-replica", "reset-slave": "reset-replica", "detach-slave": "detach-replica-master-host",
        "detach-replica": "detach-replica-master-host", "reattach-slave": "reattach-replica-master-host",
        "reattach-replica": "reattach-replica-master-host", "detach-slave-master-host": "detach-replica-master-host",
        "reattach-slave-master-host": "reattach-replica-master-host", "graceful-master-takeover-auto": "graceful-master-takeover",
        "topology-tags": "topology", "topology-tabulated": "topology",
    ]

    /// Flags our subcommand needs for an orchestrator command it covers.
    static let impliedFlags: [String: String] = [
        "graceful-master-takeover-auto": "--auto", "topology-tags": "--tags", "topology-tabulated": "--tabulated",
    ]

    /// Commands that name a cluster (`-alias`, else `-i`) rather than an instance.
    static let clusterCommands: Set<String> = ["force-master-failover", "graceful-master-takeover", "recovery-plan", "which-heuristic-cluster-pool-instances"]

    static func translate(_ arguments: [String]) -> [String]? {
        guard let first = arguments.first, first.hasPrefix("-"), arguments.contains("-c") || arguments.contains("--c") else { return nil }
        var values: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard flag.hasPrefix("-") else { index += 1; continue }
            let name = String(flag.drop(while: { $0 == "-" }))
            if ["debug", "stack", "noop", "quiet", "verbose"].contains(name) { index += 1; continue }
            guard index + 1 < arguments.count else { values[name] = ""; break }
            values[name] = arguments[index + 1]
            index += 2
        }
        guard let raw = values["c"], !raw.isEmpty else { return nil }
        let command = synonyms[raw] ?? raw
        var translated: [String] = controlCommands.contains(command) ? ["replication", command] : [command]
        let cluster = values["alias"] ?? values["a"]
        if clusterCommands.contains(command) || (command == "topology" && cluster != nil) {
            if let target = cluster ?? values["i"] { translated += ["--cluster", target] }
        } else if let instance = values["i"] {
            translated += ["-i", instance]
        }
        if let destination = values["d"] ?? values["s"] {
            translated += [command == "recover" ? "--candidate" : "-d", destination]
        }
        for (legacy, ours) in [
            ("pattern", "--pattern"), ("owner", "--owner"), ("reason", "--reason"), ("promotion-rule", "--promotion-rule"), ("api", "--api"), ("tag", "--tag"),
            ("duration", "--duration"), ("pool", "--pool"), ("hostname", "--hostname"),
        ] {
            if let value = values[legacy] { translated += [ours, value] }
        }
        if let flag = impliedFlags[raw] { translated.append(flag) }
        return translated
    }
}

import Synchronization

/// orchestrator's hostname unresolve (`register-hostname-unresolve`): a host may be given a
/// virtual name (a DNS alias or VIP that follows it), and replicas are then pointed at that name
/// rather than at the host. Probes map a replica's `Master_Host` back to the host, so the
/// topology stays one tree whichever name a replica was given. Shared by discovery (probes)
/// and operations (`CHANGE MASTER TO`); loaded from the store at start.
package final class HostnameUnresolves: Sendable {
    /// Host → virtual name.
    private let names: Mutex<[String: String]>

    package init(_ names: [String: String] = [:]) {
        self.names = Mutex(names)
    }

    package func replaceAll(_ newNames: [String: String]) {
        names.withLock { $0 = newNames }
    }

    package func register(_ host: String, as virtualName: String) {
        names.withLock { $0[host] = virtualName }
    }

    /// Whether `host` had a virtual name.
    @discardableResult
    package func deregister(_ host: String) -> Bool {
        names.withLock { $0.removeValue(forKey: host) != nil }
    }

    /// The virtual name of `host`, `""` if none.
    package func virtualName(of host: String) -> String {
        names.withLock { $0[host] ?? "" }
    }

    /// The name to write into `CHANGE MASTER TO MASTER_HOST` for a master on `host`.
    package func masterHost(for host: String) -> String {
        let virtual = virtualName(of: host)
        return virtual.isEmpty ? host : virtual
    }

    /// The host a replica's `Master_Host` stands for: a virtual name registered for exactly one
    /// host maps back to it; anything else is itself. A name several hosts claim is left as it
    /// is: guessing could place replicas under a dead master.
    package func host(named name: String) -> String {
        names.withLock { names in
            let hosts = names.filter { $0.value == name }.keys
            return hosts.count == 1 ? hosts.first ?? name : name
        }
    }

    /// The hosts other than `host` that already use `virtualName`.
    package func otherHosts(using virtualName: String, besides host: String) -> [String] {
        names.withLock { names in names.filter { $0.value == virtualName && $0.key != host }.keys.sorted() }
    }
}

/// What `take-master` does once allowed: `instance` takes its master's place, the master becomes
/// its replica. Other replicas of either stay where they are.
package struct MasterSwap: Sendable, Equatable {
    /// The replica that moves up.
    package var instance: InstanceKey
    /// Its master, which moves below it.
    package var master: InstanceKey
    /// The master's master, which `instance` replicates from afterwards.
    package var grandmaster: InstanceKey
    /// GTID when both new links can use it, else binary log coordinates: `instance` runs until
    /// the master's own coordinates, goes below `grandmaster` at the master's executed
    /// coordinates, and the master goes below `instance` at `instance`'s own coordinates.
    package var method: RewireMethod

    package init(instance: InstanceKey, master: InstanceKey, grandmaster: InstanceKey, method: RewireMethod) {
        self.instance = instance
        self.master = master
        self.grandmaster = grandmaster
        self.method = method
    }
}

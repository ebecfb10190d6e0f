/// What `make-co-master` does once allowed: `master` (a top master) starts replicating from
/// its replica `instance`, closing a two-node ring. Neither server's `read_only` changes.
package struct CoMasterLink: Sendable, Equatable {
    /// The read-only replica that becomes the other co-master.
    package var instance: InstanceKey
    /// The master that replicates from `instance` afterwards.
    package var master: InstanceKey
    /// GTID when both sides have it (orchestrator forces auto-positioning for MySQL GTID), else
    /// `instance`'s own binary log coordinates as probed.
    package var method: RewireMethod
    /// `instance`'s own binary log coordinates (`SHOW MASTER STATUS`) at its latest probe.
    package var coordinates: BinlogCoordinates

    package init(instance: InstanceKey, master: InstanceKey, method: RewireMethod, coordinates: BinlogCoordinates) {
        self.instance = instance
        self.master = master
        self.method = method
        self.coordinates = coordinates
    }
}

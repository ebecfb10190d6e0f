/// What etcd holds under the leader key: the lease it is attached to, the revision that created
/// it, and the leader's record.
package struct LeaderKey: Sendable, Equatable {
    package var leaseID: Int64
    package var createRevision: Int64
    package var value: String

    package init(leaseID: Int64, createRevision: Int64, value: String) {
        self.leaseID = leaseID
        self.createRevision = createRevision
        self.value = value
    }

    package var record: LeaderRecord? { LeaderRecord(decoding: value) }

    /// The holder, for messages: its node name, or the raw value when it is not a record.
    package var holder: String { record?.node ?? "'\(value.prefix(80))'" }
}

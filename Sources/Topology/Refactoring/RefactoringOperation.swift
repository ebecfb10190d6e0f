/// A topology refactoring an operator asked for, named as a refusal names it
/// (`cannot move 127.0.0.1:23308 below 127.0.0.1:23307: …`).
package enum RefactoringOperation: Sendable, Equatable, CustomStringConvertible {
    /// `relocate`, `move-below`, `move-below-gtid`: the instance below the target.
    case move(InstanceKey, below: InstanceKey)
    /// `move-up`: the instance below its master's master.
    case moveUp(InstanceKey)
    /// `repoint`: the instance to the target at its own executed coordinates.
    case repoint(InstanceKey, to: InstanceKey)
    /// `take-master`: the instance swaps places with its master.
    case takeMaster(InstanceKey)
    /// `make-co-master`: the instance's master replicates from the instance.
    case makeCoMaster(InstanceKey)
    /// `relocate-replicas`, `move-up-replicas`, `take-siblings`: the replicas of one instance below a target.
    case moveReplicas(of: InstanceKey, below: InstanceKey)
    /// `repoint-replicas`.
    case repointReplicas(of: InstanceKey, to: InstanceKey)
    /// `regroup-replicas`: one replica becomes the local master of its siblings.
    case regroupReplicas(of: InstanceKey)
    /// `purge-binary-logs`: the logs of the instance before a file.
    case purgeBinaryLogs(InstanceKey, to: String)

    package var description: String {
        switch self {
        case let .move(instance, target): "move \(instance) below \(target)"
        case let .moveUp(instance): "move \(instance) up"
        case let .repoint(instance, target): "repoint \(instance) to \(target)"
        case let .takeMaster(instance): "make \(instance) take its master's place"
        case let .makeCoMaster(instance): "make \(instance) a co-master"
        case let .moveReplicas(master, target): "move the replicas of \(master) below \(target)"
        case let .repointReplicas(master, target): "repoint the replicas of \(master) to \(target)"
        case let .regroupReplicas(master): "regroup the replicas of \(master)"
        case let .purgeBinaryLogs(instance, logFile): "purge the binary logs of \(instance) before \(logFile)"
        }
    }
}

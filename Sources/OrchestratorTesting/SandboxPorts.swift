import Foundation
import Sandbox
import Synchronization

/// Hands out blocks of ports on 127.0.0.1 between 24000 and 29000 that nothing listens on.
/// A block is also claimed with an advisory lock file, so two test processes that probe
/// before either server has bound never pick the same block; the kernel drops the lock
/// when its process dies, so a crashed run leaves nothing to clean.
package enum SandboxPorts {
    private static let lowest = 24000
    private static let highest = 29000
    private static let blockSize = 10
    private static let lockDirectory = "/tmp/orchestrator-sandbox-ports"
    /// Where this process looks next; processes start at different blocks to rarely collide.
    private static let next = Mutex(lowest + Int(getpid() % 400) * blockSize)

    /// A claimed block of ports; `release()` lets another sandbox use it.
    package final class Reservation: Sendable {
        package let basePort: Int
        private let lockDescriptor: Mutex<Int32>

        init(basePort: Int, lockDescriptor: Int32) {
            self.basePort = basePort
            self.lockDescriptor = Mutex(lockDescriptor)
        }

        /// A caller-chosen port block, not claimed.
        package convenience init(unlocked basePort: Int) {
            self.init(basePort: basePort, lockDescriptor: -1)
        }

        package func release() {
            lockDescriptor.withLock { descriptor in
                if descriptor >= 0 { close(descriptor) }
                descriptor = -1
            }
        }

        deinit { release() }
    }

    /// Claims `count` consecutive free ports until `release()`.
    package static func reserve(count: Int) throws -> Reservation {
        let span = max(blockSize, (count + blockSize - 1) / blockSize * blockSize)
        try? FileManager.default.createDirectory(atPath: lockDirectory, withIntermediateDirectories: true)
        for _ in 0..<((highest - lowest) / blockSize) {
            let base = next.withLock { value -> Int in
                let base = value + span > highest ? lowest : value
                value = base + span
                return base
            }
            let descriptor = open("\(lockDirectory)/\(base).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { continue }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, (base..<(base + count)).allSatisfy(isFree) else {
                close(descriptor)
                continue
            }
            return Reservation(basePort: base, lockDescriptor: descriptor)
        }
        throw SandboxError.state("no free block of \(count) ports between \(lowest) and \(highest)")
    }

    /// Claims `count` free ports for the rest of the process (for tests that manage a sandbox
    /// themselves, or need a port where nothing listens).
    package static func allocate(count: Int) throws -> Int {
        let reservation = try reserve(count: count)
        held.withLock { $0.append(reservation) }
        return reservation.basePort
    }

    private static let held = Mutex<[Reservation]>([])

    private static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return withLoopbackAddress(port: port) { bind(descriptor, $0, $1) } == 0
    }
}

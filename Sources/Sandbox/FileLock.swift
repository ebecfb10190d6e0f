import Foundation

/// An advisory `flock` on a file: excludes other processes and other tasks of this process
/// (each acquisition opens its own descriptor). Released with `release()` or when the
/// process dies.
final class FileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Waits (polling, so no thread is blocked) until the lock is ours or `timeout` passes.
    static func acquire(_ path: String, timeout: Duration = .seconds(120)) async throws(SandboxError) -> FileLock {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .state("cannot open lock file \(path): errno \(errno)") }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                throw .state("timed out waiting for lock \(path)")
            }
            do {
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                close(descriptor)
                throw .state("cancelled while waiting for lock \(path)")
            }
        }
        return FileLock(descriptor: descriptor)
    }

    /// Call once.
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

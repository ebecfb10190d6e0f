import Engine
import Synchronization
import Testing

/// One holder at a time across suspension points, where an actor would interleave callers.
struct AsyncSerialLockTests {
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    }

    @Test func holdersThatSuspendNeverInterleave() async {
        let lock = AsyncSerialLock()
        let log = Log()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    await lock.withLock {
                        log.append("in \(index)")
                        await Task.yield()
                        try? await Task.sleep(for: .milliseconds(1))
                        log.append("out \(index)")
                    }
                }
            }
        }
        let entries = log.entries.withLock { $0 }
        #expect(entries.count == 100)
        for pair in stride(from: 0, to: entries.count, by: 2) {
            #expect(entries[pair + 1] == entries[pair].replacingOccurrences(of: "in", with: "out"), "\(entries[pair]) then \(entries[pair + 1])")
        }
    }

    @Test func anErrorReleasesTheLock() async throws {
        struct Failure: Error {}
        let lock = AsyncSerialLock()
        await #expect(throws: Failure.self) { try await lock.withLock { () throws(Failure) in throw Failure() } }
        #expect(await lock.withLock { 42 } == 42, "the next holder gets it")
    }
}

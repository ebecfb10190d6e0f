import Engine
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// The queue a service runs its background work in: a graceful shutdown lets what is running
/// finish, runs the follow-up work it queues, then ends; after that nothing is accepted.
@Suite(.timeLimit(.minutes(1)))
struct WorkQueueTests {
    @Test func shutdownDrainsRunningWorkAndItsFollowUpsThenRefusesNewWork() async throws {
        let queue = WorkQueue()
        let done = Mutex<[String]>([])
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        await testGracefulShutdown { trigger in
            await withDiscardingTaskGroup { group in
                group.addTask { await queue.run() }
                queue.enqueue {
                    for await _ in gate { break }
                    done.withLock { $0.append("recovery") }
                    // Follow-up work, queued while the queue drains (post-failover hooks).
                    queue.enqueue { done.withLock { $0.append("hooks") } }
                }
                trigger.triggerGracefulShutdown()
                open.yield()
            }
        }
        #expect(done.withLock { $0 } == ["recovery", "hooks"], "run() returned only after both")
        #expect(!queue.enqueue {}, "drained and closed")
        await queue.waitUntilIdle()
    }

    @Test func waitUntilIdleWaitsForWorkQueuedMeanwhile() async throws {
        let queue = WorkQueue()
        let done = Mutex(0)
        await withDiscardingTaskGroup { group in
            group.addTask { await queue.run() }
            queue.enqueue {
                queue.enqueue { done.withLock { $0 += 1 } }
                done.withLock { $0 += 1 }
            }
            await queue.waitUntilIdle()
            #expect(done.withLock { $0 } == 2)
            group.cancelAll()
        }
    }
}

import Foundation
import GRDB
import Topology

/// The embedded store (orchestrator's backend database): instances, cluster aliases and the
/// audit log in one SQLite file. Safe to share between tasks; every call is one transaction.
package final class SQLiteStore: Sendable {
    private let writer: any DatabaseWriter
    /// The database file, or `:memory:`.
    package let path: String

    /// Opens the file, creating it when missing, in WAL mode (readers never wait for the
    /// poller's writes), and brings its schema up to date. Fails, naming the path, when the
    /// directory does not exist, the file is not an SQLite database, or it cannot be written.
    /// The path `:memory:` gives an in-memory store.
    package init(path: String) throws(StoreError) {
        self.path = path
        if path == ":memory:" {
            writer = try Self.migrated(DatabaseQueue(), path: path)
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw StoreError(operation: "open", path: path, reason: "directory \(directory) does not exist")
        }
        var configuration = Configuration()
        // The poller and the API write at the same time; wait for the lock rather than fail.
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(operation: "open", path: path, cause: error)
        }
        writer = try Self.migrated(pool, path: path)
    }

    /// A private, empty in-memory store (tests, `orchestrator demo`).
    package static func inMemory() throws(StoreError) -> SQLiteStore {
        try SQLiteStore(path: ":memory:")
    }

    /// Runs the migrations; the first read of a file that is not a database fails here.
    private static func migrated(_ makeWriter: @autoclosure () throws -> any DatabaseWriter, path: String) throws(StoreError) -> any DatabaseWriter {
        do {
            let writer = try makeWriter()
            try StoreMigrations.migrator.migrate(writer)
            return writer
        } catch {
            throw StoreError(operation: "open", path: path, cause: error)
        }
    }

    /// Identifiers of the applied migrations, oldest first.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("read the schema version") { db in try StoreMigrations.migrator.appliedIdentifiers(db).sorted() }
    }

    // MARK: Transactions with errors that name the store

    func read<T: Sendable>(_ operation: @autoclosure () -> String, _ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw StoreError(operation: operation(), path: path, cause: error)
        }
    }

    func write<T: Sendable>(_ operation: @autoclosure () -> String, _ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw StoreError(operation: operation(), path: path, cause: error)
        }
    }

    /// A write that runs even when the calling task is cancelled, where `write` refuses: for the
    /// cleanup a cancelled operation still owes (releasing the locks it took).
    func writeEvenIfCancelled<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            writer.asyncWrite(body) { _, result in continuation.resume(returning: result) }
        }
        do {
            return try result.get()
        } catch {
            throw StoreError(operation: operation, path: path, cause: error)
        }
    }
}

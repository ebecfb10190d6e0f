import Engine
import Foundation

extension RefactoringError {
    /// The answer for a refactoring that did not happen: 404 for an unknown instance, 409 for a
    /// refused or unsuccessful operation (the message says which rule or statement), 500 when
    /// our store failed.
    var apiFailure: APIFailure {
        switch self {
        case let .unknownInstance(key): .notFound("Cannot read instance: \(key)")
        case .refused, .locked, .invalid, .failed: .conflict(description)
        case .store: .internalError(description)
        case .controls(let error): error.apiFailure
        }
    }
}

extension ControlsError {
    /// 503 when this node cannot change what the nodes share now (it does not lead, etcd is
    /// unreachable): another node, or a later try, can; 500 when its store failed.
    var apiFailure: APIFailure {
        switch self {
        case .notLeader, .etcd: APIFailure(.serviceUnavailable, description)
        case .store, .unreadable: .internalError(description)
        }
    }
}

extension APIContext {
    func refactoring() throws(APIFailure) -> TopologyRefactorer {
        guard let refactorer else { throw APIFailure(.serviceUnavailable, "Topology refactoring is not running on this node") }
        return refactorer
    }

    /// Runs a refactoring call, mapping its error to the API's answer.
    func refactor<T>(_ body: (TopologyRefactorer) async throws(RefactoringError) -> T) async throws(APIFailure) -> T {
        let refactorer = try refactoring()
        do throws(RefactoringError) {
            return try await body(refactorer)
        } catch {
            throw error.apiFailure
        }
    }
}

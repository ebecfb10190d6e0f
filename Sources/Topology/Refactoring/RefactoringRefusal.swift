/// Why a refactoring may not run: every violated rule, each naming the instances it is about.
/// A refused operation touches no server.
///
/// `cannot move 127.0.0.1:23308 below 127.0.0.1:23307: 127.0.0.1:23307 has no binary log;
/// 127.0.0.1:23307 is a descendant of 127.0.0.1:23308`
package struct RefactoringRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was asked for.
    package var operation: RefactoringOperation
    /// Never empty; in a stable order (replication rules, loops, maintenance, method, movability).
    package var reasons: [String]

    package init(operation: RefactoringOperation, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    package var description: String { "cannot \(operation): \(reasons.joined(separator: "; "))" }
}

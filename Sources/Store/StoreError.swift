/// A store failure, naming what failed and where.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

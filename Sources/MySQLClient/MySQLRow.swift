/// One result row, values as the text protocol delivers them (`nil` is SQL NULL).
package struct MySQLRow: Sendable {
    package let columns: [String]
    package let values: [String?]

    package init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    private func index(of column: String) -> Int? {
        columns.firstIndex(of: column) ?? columns.firstIndex { $0.lowercased() == column.lowercased() }
    }

    /// The value of `column` (case-insensitive); `nil` when NULL or absent.
    package subscript(_ column: String) -> String? {
        guard let index = index(of: column) else { return nil }
        return values[index]
    }

    package subscript(index index: Int) -> String? {
        values.indices.contains(index) ? values[index] : nil
    }

    package func has(_ column: String) -> Bool { index(of: column) != nil }
    package func string(_ column: String) -> String { self[column] ?? "" }
    package func int(_ column: String) -> Int64? { self[column].flatMap { Int64($0) } }

    /// `1`, `ON`, `YES`, `TRUE` (any case) are true.
    package func bool(_ column: String) -> Bool {
        guard let value = self[column]?.uppercased() else { return false }
        return value == "1" || value == "ON" || value == "YES" || value == "TRUE"
    }
}

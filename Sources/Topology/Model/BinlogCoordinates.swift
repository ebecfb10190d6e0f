/// A position in a binary log or relay log (`file:pos`).
package struct BinlogCoordinates: Sendable, Hashable, Codable, CustomStringConvertible {
    package enum LogType: Int, Sendable, Codable { case binary = 0, relay = 1 }

    package var logFile: String
    package var logPos: Int64
    package var type: LogType

    package init(logFile: String = "", logPos: Int64 = 0, type: LogType = .binary) {
        self.logFile = logFile
        self.logPos = logPos
        self.type = type
    }

    package var isEmpty: Bool { logFile.isEmpty }
    package var description: String { "\(logFile):\(logPos)" }

    /// The numeric suffix of the file (`mysql-bin.000123` → 123), so that a rollover from
    /// `.999999` to `.1000000` still orders correctly (orchestrator compares names as strings).
    package var fileNumber: Int? {
        guard let dot = logFile.lastIndex(of: ".") else { return nil }
        return Int(logFile[logFile.index(after: dot)...])
    }

    /// The file name without its numeric suffix (`mysql-bin`).
    package var fileBaseName: String {
        guard let dot = logFile.lastIndex(of: ".") else { return logFile }
        return String(logFile[..<dot])
    }

    /// Orders two coordinates of the same log series; `nil` when they are not comparable
    /// (different base names, or a file without a numeric suffix).
    package func compare(to other: BinlogCoordinates) -> ComparisonResult3? {
        guard fileBaseName == other.fileBaseName, let mine = fileNumber, let theirs = other.fileNumber else { return nil }
        if mine != theirs { return mine < theirs ? .less : .greater }
        if logPos != other.logPos { return logPos < other.logPos ? .less : .greater }
        return .equal
    }
}

/// A three-way comparison result that does not need Foundation.
package enum ComparisonResult3: Sendable, Equatable { case less, equal, greater }

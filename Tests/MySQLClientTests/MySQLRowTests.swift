import MySQLClient
import Testing

@Suite struct MySQLRowTests {
    let row = MySQLRow(columns: ["Id", "Name", "Empty", "Flag", "Bad"], values: ["42", "x", nil, "ON", "4x"])

    @Test func looksUpColumnsCaseInsensitively() {
        #expect(row["id"] == "42" && row["NAME"] == "x")
        #expect(row.has("empty") && row["Empty"] == nil)
        #expect(!row.has("missing") && row["missing"] == nil)
        #expect(row.string("Empty") == "" && row.string("missing") == "")
        #expect(row[index: 1] == "x" && row[index: 2] == nil && row[index: 9] == nil)
    }

    @Test func parsesIntegers() {
        #expect(row.int("id") == 42)
        #expect(row.int("Empty") == nil && row.int("missing") == nil && row.int("Bad") == nil)
    }

    @Test(arguments: [("1", true), ("ON", true), ("yes", true), ("True", true), ("0", false), ("OFF", false), ("No", false), ("", false)])
    func readsBooleans(text: String, expected: Bool) {
        #expect(MySQLRow(columns: ["v"], values: [text]).bool("v") == expected)
    }

    @Test func nullIsFalse() {
        #expect(!row.bool("Empty") && !row.bool("missing"))
    }

    @Test func credentialsAndErrorsNeverPrintThePassword() {
        let credentials = MySQLCredentials(user: "orchestrator", password: "s3cret")
        #expect(!"\(credentials)".contains("s3cret"))
        let error = MySQLError(code: 2003, sqlState: "HY000", message: "Can't connect", endpoint: MySQLEndpoint(host: "::1", port: 3306))
        #expect(error.description == "[::1]:3306: Error 2003 (HY000): Can't connect")
        #expect(error.isConnectionFailure)
        #expect(!MySQLError(code: 1064, sqlState: "42000", message: "syntax", endpoint: nil).isConnectionFailure)
    }
}

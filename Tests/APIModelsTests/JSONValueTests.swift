import APIModels
import Foundation
import Testing

@Suite struct JSONValueTests {
    @Test func envelopeIsCompactAndOrdered() {
        #expect(APIEnvelope.ok("x").serialized() == #"{"Code":"OK","Message":"x","Details":null}"#)
        #expect(APIEnvelope.error("bad").serialized() == #"{"Code":"ERROR","Message":"bad","Details":null}"#)
        #expect(APIEnvelope.ok("done", details: ["B": 1, "A": [true, nil]]).serialized()
            == #"{"Code":"OK","Message":"done","Details":{"B":1,"A":[true,null]}}"#)
    }

    @Test func escapesLikeGo() {
        #expect(JSONValue.string(">>").serialized() == #""\u003e\u003e""#)
        #expect(JSONValue.string("a >> b & <c>").serialized() == #""a \u003e\u003e b \u0026 \u003cc\u003e""#)
        #expect(JSONValue.string("line\nnext\r\t\"q\" \\").serialized() == #""line\nnext\r\t\"q\" \\""#)
        #expect(JSONValue.string("\u{1}\u{8}\u{c}\u{1f}").serialized() == #""\u0001\u0008\u000c\u001f""#)
        #expect(JSONValue.string("\u{2028}\u{2029}").serialized() == #""\u2028\u2029""#)
        #expect(JSONValue.string("ünï — 😀 /").serialized() == "\"ünï — 😀 /\"")
        #expect(JSONValue.object([("<k>", .null)]).serialized() == #"{"\u003ck\u003e":null}"#)
    }

    @Test func numbersAndLiterals() {
        #expect(JSONValue.int(-9_223_372_036_854_775_808).serialized() == "-9223372036854775808")
        #expect(JSONValue.double(3).serialized() == "3")
        #expect(JSONValue.double(1.5).serialized() == "1.5")
        #expect(JSONValue.double(.nan).serialized() == "null")
        let built: JSONValue = ["z": 1, "a": "x", "m": [false, 2.5, nil]]
        #expect(built.serialized() == #"{"z":1,"a":"x","m":[false,2.5,null]}"#)
    }

    @Test func parsesTypesFaithfully() throws {
        let parsed = try JSONValue(parsing: #"[true,false,0,1,-1,127,1.5,1e3,9223372036854775807,"s",null,{"b":1,"a":2}]"#)
        let elements = try #require(parsed.arrayValue)
        #expect(elements[0] == .bool(true))
        #expect(elements[1] == .bool(false))
        #expect(elements[2].intValue == 0)
        #expect(elements[2].boolValue == nil)
        #expect(elements[3].intValue == 1)
        #expect(elements[4].intValue == -1)
        #expect(elements[5].intValue == 127)
        #expect(elements[6].doubleValue == 1.5)
        #expect(elements[6].intValue == nil)
        #expect(elements[7].intValue == 1000)
        #expect(elements[8].intValue == Int64.max)
        #expect(elements[9].stringValue == "s")
        #expect(elements[10].isNull)
        #expect(elements[11]["a"] == 2)
        #expect(elements[11]["missing"] == nil)
        #expect(throws: (any Error).self) { try JSONValue(parsing: "{") }
    }

    /// Objects compare as sets of members: a parsed document (keys sorted) equals the one built.
    @Test func equalityIgnoresMemberOrderButNotContent() {
        let built: JSONValue = ["b": 1, "a": [1, 2]]
        #expect(built == ["a": [1, 2], "b": 1])
        #expect(built != ["a": [2, 1], "b": 1])
        #expect(built != ["a": [1, 2]])
        #expect(built != ["a": [1, 2], "c": 1])
        #expect(JSONValue.int(3) == .double(3))
        #expect(JSONValue.string("1") != .int(1))
    }

    @Test func roundTripsThroughText() throws {
        let built: JSONValue = ["Key": ["Hostname": "db<1>", "Port": 3306], "List": [], "Nested": ["x": nil]]
        #expect(try JSONValue(parsing: built.serialized()) == built)
    }
}

struct JSONTextParserTests {
    @Test func keepsMemberOrderAndReadsEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"z": 1, "a": [true, false, null, -0.5, 1e3, 9223372036854775807, 18446744073709551616], "m": {}} "#)
        #expect(value.objectValue?.map(\.0) == ["z", "a", "m"])
        #expect(value["a"] == .array([.bool(true), .bool(false), .null, .double(-0.5), .double(1000), .int(Int64.max), .double(18446744073709551616)]))
        #expect(value["m"] == .object([]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é"]"#)
        #expect(value == .array([.string("a\"b\\c/d\n\té😀 é")]))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"\u{01}\"", "[1] 2", "{\"a\":1,}", "\"\\x\""])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func errorsSayWhere() {
        #expect(throws: JSONParseError(reason: "expected ',' or ']'", offset: 3)) { try JSONValue(parsing: "[1 2]") }
    }
}

import Sandbox
import Testing

@Suite struct SandboxTopologySpecTests {
    @Test(arguments: [
        ("0", [nil]),
        ("1>0", [nil, 0]),
        ("1>0,2>0,3>2", [nil, 0, 0, 2]),
        (" 2>1 , 1 > 0 ", [nil, 0, 1]),
        ("0,1", [nil, nil]),
        ("3>1,2>1,1>0", [nil, 0, 1, 1]),
    ] as [(String, [Int?])])
    func parses(text: String, masters: [Int?]) throws {
        let spec = try SandboxTopologySpec(parsing: text)
        #expect(spec.instanceCount == masters.count)
        #expect((0..<spec.instanceCount).map { spec.master(of: $0) } == masters)
        #expect(spec.master(of: 99) == nil)
        // The canonical form parses back to the same topology (sandbox.json relies on it).
        #expect(try SandboxTopologySpec(parsing: spec.description) == spec)
    }

    @Test func describesCanonically() throws {
        #expect(try SandboxTopologySpec(parsing: "3>2,1>0,2>0").description == "1>0,2>0,3>2")
        #expect(try SandboxTopologySpec(parsing: "0").description == "0")
    }

    @Test(arguments: [
        ("1>1", "1>1", "itself"),
        ("1>0,1>2,2>0", "1>2", "already replicates from 0"),
        ("a>0", "a>0", "expected"),
        ("1>0,x", "x", "expected"),
        ("1>", "1>", "expected"),
        ("1>-2", "1>-2", "expected"),
        ("1>0>3", "1>0>3", "expected"),
        ("2>0", "2>0", "instance 1 is missing"),
        ("1>0,3>1", "3>1", "instance 2 is missing"),
        ("1>2,2>1", "2>1", "cycle"),
        ("1>0,2>3,3>2", "3>2", "cycle"),
        ("0>1,1", "0>1", "first master"),
        ("1>0,,2>0", "", "expected"),
        ("", "", "empty"),
        ("150>0", "150>0", "limit"),
    ])
    func rejects(text: String, token: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try SandboxTopologySpec(parsing: text) }
        #expect(error == .invalidSpec(text: text, token: token, reason: error.map(reasonOf) ?? ""), "\(String(describing: error))")
        #expect(error.map(reasonOf)?.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("at '\(token)'") == true)
    }

    private func reasonOf(_ error: SandboxError) -> String {
        if case let .invalidSpec(_, _, reason) = error { return reason }
        return ""
    }
}

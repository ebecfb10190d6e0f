import Foundation
import Testing
import Topology

/// Tag specs as orchestrator's `ParseTag` reads them, and the `tagged` selection.
struct TagSpecTests {
    @Test(arguments: [
        ("role", "role", nil, false),
        ("role=primary", "role", "primary", false),
        ("role=", "role", "", false),
        ("~backup", "backup", nil, true),
        ("!backup", "backup", nil, true),
        ("~role=primary", "role", "primary", true),
        ("!role=primary", "role", "primary", true),
        ("url=a=b", "url", "a=b", false),
        ("note=wow!", "note", "wow!", false),
        ("  role=primary\n", "role", "primary", false),
        ("role = primary", "role", "primary", false),
    ] as [(String, String, String?, Bool)])
    func parses(text: String, name: String, value: String?, isNegated: Bool) throws {
        let spec = try TagSpec(parsing: text)
        #expect(spec.name == name)
        #expect(spec.value == value)
        #expect(spec.isNegated == isNegated)
    }

    @Test(arguments: [
        ("", TagSpecError.empty),
        ("  \n", .empty),
        ("=primary", .emptyName(spec: "=primary")),
        ("~", .emptyName(spec: "~")),
        ("!=x", .emptyName(spec: "~=x")),
    ])
    func rejectsSpecsWithoutAName(text: String, error: TagSpecError) {
        #expect(throws: error) { try TagSpec(parsing: text) }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(TagSpecError.empty.description == "Unable to parse tag: empty tag; expected name, name=value, ~name or ~name=value")
        #expect(TagSpecError.emptyName(spec: "=x").description == "Unable to parse tag: =x: empty tag name")
        #expect(TagSpecError.valueNeededAcrossInstances(name: "role").description.contains("role=value"))
    }

    @Test func pathParametersMakeASpec() throws {
        let spec = try TagSpec(name: " role\n", value: "primary\n")
        #expect(spec == (try TagSpec(parsing: "role=primary")))
        #expect(throws: TagSpecError.emptyName(spec: "")) { try TagSpec(name: "", value: nil) }
    }

    @Test func descriptionRoundTrips() throws {
        for text in ["role", "role=primary", "role=", "~backup", "~role=primary"] {
            #expect(try TagSpec(parsing: text).description == text)
        }
        #expect(try TagSpec(parsing: "!backup").description == "~backup")
    }

    @Test func assignmentRefusesNegationAndDefaultsToAnEmptyValue() throws {
        #expect(try TagSpec(parsing: "backup").assignment() == InstanceTag(name: "backup", value: ""))
        #expect(try TagSpec(parsing: "role=primary").assignment() == InstanceTag(name: "role", value: "primary"))
        #expect(throws: TagSpecError.negationNotAllowed(spec: "~backup", action: "set")) { try TagSpec(parsing: "!backup").assignment() }
    }

    @Test func readingUsesTheNameOnly() throws {
        #expect(try TagSpec(parsing: "role=ignored").nameToRead() == "role")
        #expect(throws: TagSpecError.negationNotAllowed(spec: "~role", action: "read")) { try TagSpec(parsing: "~role").nameToRead() }
    }

    @Test func removalNeedsAValueAcrossInstances() throws {
        let bare = try TagSpec(parsing: "role")
        #expect(try bare.removal(acrossAllInstances: false) == bare)
        #expect(throws: TagSpecError.valueNeededAcrossInstances(name: "role")) { try bare.removal(acrossAllInstances: true) }
        let valued = try TagSpec(parsing: "role=primary")
        #expect(try valued.removal(acrossAllInstances: true) == valued)
        #expect(throws: TagSpecError.negationNotAllowed(spec: "~role", action: "removed")) {
            try TagSpec(parsing: "~role").removal(acrossAllInstances: false)
        }
    }

    @Test(arguments: [
        ("role", true), ("role=primary", true), ("role=replica", false), ("role=", false),
        ("~role", false), ("~role=replica", true), ("~role=primary", false),
        ("backup", true), ("backup=", true), ("~backup", false),
        ("dc", false), ("dc=east", false), ("~dc", true), ("~dc=east", false),
    ])
    func matches(text: String, expected: Bool) throws {
        let tags = ["role": "primary", "backup": ""]
        #expect(try TagSpec(parsing: text).matches(tags) == expected, "\(text)")
    }

    @Test func listsAreCommaSeparatedAndEveryElementMustParse() throws {
        #expect(try TagSpec.parseList("role=primary, ~backup,!dc").map(\.description) == ["role=primary", "~backup", "~dc"])
        #expect(throws: TagSpecError.empty) { try TagSpec.parseList("role,") }
        #expect(throws: TagSpecError.empty) { try TagSpec.parseList("") }
    }

    @Test func queryMeansAllOfAmongTaggedInstances() throws {
        let a = InstanceKey(hostname: "a", port: 3306), b = InstanceKey(hostname: "b", port: 3306)
        let c = InstanceKey(hostname: "c", port: 3306), c2 = InstanceKey(hostname: "c", port: 3307)
        let tags: [InstanceKey: [String: String]] = [
            c2: ["role": "replica", "dc": "east"],
            a: ["role": "primary", "dc": "east"],
            c: ["role": "replica"],
            b: ["backup": ""],
        ]
        #expect(try TagQuery(parsing: "dc=east").select(from: tags) == [a, c2])
        #expect(try TagQuery(parsing: "role,~role=primary").select(from: tags) == [c, c2])
        #expect(try TagQuery(parsing: "role=replica,dc").select(from: tags) == [c2])
        // orchestrator considers only tagged instances: `~dc` lists b and c, not untagged ones.
        #expect(try TagQuery(parsing: "!dc").select(from: tags) == [b, c])
        #expect(try TagQuery(parsing: "nothing").select(from: tags) == [])
        #expect(try TagQuery(parsing: "role,dc").matches(["role": "x", "dc": "y"]))
    }

    @Test func tagsPrintAsOrchestratorDoes() {
        #expect(InstanceTag(name: "backup", value: "").description == "backup=")
        #expect(InstanceTag(name: "backup", value: "").display == "backup")
        #expect(InstanceTag(name: "env", value: "prod").display == "env=prod")
    }
}

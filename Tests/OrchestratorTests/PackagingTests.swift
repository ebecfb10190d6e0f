import Foundation
import Testing
@testable import orchestrator

/// What `make install` ships: the sample configuration loads cleanly and every key in it is
/// explained; the unit runs the service as the README says.
@Suite struct PackagingTests {
    static let packaging = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("packaging")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: packaging.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func sampleConfigurationLoadsWithoutUnknownKeys() throws {
        let path = Self.packaging.appendingPathComponent("orchestrator.conf.json").path
        let config = try OrchestratorConfiguration.load(path: path, environment: ["ORCHESTRATOR_TOPOLOGY_PASSWORD": "from-env"])
        #expect(config.unknownKeys.isEmpty, "\(config.unknownKeys)")
        #expect(config.mySQLTopologyUser == "orchestrator")
        #expect(config.mySQLTopologyPassword.revealed == "from-env", "the password comes from the environment, not the file")
        #expect(config.sqlite3DataFile == "/var/lib/orchestrator/orchestrator.sqlite3")
        #expect(config.statusEndpoint == "/api/status")
        #expect(config.recoverMasterClusterFilters.isEmpty, "no automatic master failover until the operator lists clusters")
        _ = try config.engineConfiguration(hostname: "h", token: "t")
    }

    @Test func everySampleKeyIsExplained() throws {
        let values = try #require(try JSONSerialization.jsonObject(with: Data(Self.text("orchestrator.conf.json").utf8)) as? [String: Any])
        let readme = try Self.text("README.md")
        for key in values.keys {
            #expect(readme.contains("| `\(key)` |"), "packaging/README.md explains \(key)")
        }
    }

    @Test func theUnitRunsServeAsADedicatedUserAndRestartsOnFailure() throws {
        let unit = try Self.text("orchestrator.service")
        let lines = Set(unit.split(separator: "\n").map(String.init))
        #expect(lines.contains("ExecStart=/usr/local/bin/orchestrator serve --config /etc/orchestrator.conf.json"))
        #expect(lines.contains("User=orchestrator") && lines.contains("DynamicUser=yes"))
        #expect(lines.contains("Restart=on-failure"))
        #expect(lines.contains("NoNewPrivileges=yes") && lines.contains("ProtectSystem=strict"))
        #expect(lines.contains("StateDirectory=orchestrator"))
    }
}

import Foundation
import Testing
import Topology
@testable import orchestrator

/// `EtcdEndpoints` turns leadership through etcd on; the node advertises itself by
/// `HTTPAdvertise`, or by `ListenAddress`.
struct LeadershipConfigurationTests {
    @Test func withoutEtcdEndpointsANodeLeadsAlone() throws {
        #expect(try OrchestratorConfiguration.parse([:]).engineConfiguration(hostname: "h", token: "t").leadership == nil)
    }

    @Test(arguments: [
        (["ListenAddress": "127.0.0.1:3001"], LeaderRecord(node: "127.0.0.1:3001", url: "http://127.0.0.1:3001")),
        (["ListenAddress": ":3000"], LeaderRecord(node: "node7:3000", url: "http://node7:3000")),
        (["HTTPAdvertise": "https://10.0.0.1:3443/"], LeaderRecord(node: "10.0.0.1:3443", url: "https://10.0.0.1:3443")),
    ] as [([String: String], LeaderRecord)])
    func theNodeAdvertisesWhereItsAPIAnswers(settings: [String: String], record: LeaderRecord) throws {
        var values: [String: Any] = settings
        values["EtcdEndpoints"] = ["http://127.0.0.1:2379"]
        values["EtcdLeaseTTLSeconds"] = 3
        let leadership = try #require(try OrchestratorConfiguration.parse(values).engineConfiguration(hostname: "node7", token: "t").leadership)
        #expect(leadership.record == record)
        #expect(leadership.endpoints == ["http://127.0.0.1:2379"] && leadership.leaseTTLSeconds == 3)
    }

    @Test func aLeaseWithoutTTLOrAnAdvertisedAddressThatIsNoURLStopsStartUp() {
        #expect(throws: ConfigurationError.self) { try OrchestratorConfiguration.parse(["EtcdLeaseTTLSeconds": 0]) }
        #expect(throws: ConfigurationError.self) { try OrchestratorConfiguration.parse(["HTTPAdvertise": "not a url"]) }
    }

    @Test func dividingProbesIsOffByDefaultAndNeedsEtcd() throws {
        let etcd: [String: Any] = ["EtcdEndpoints": ["http://127.0.0.1:2379"]]
        #expect(try OrchestratorConfiguration.parse(etcd).engineConfiguration(hostname: "h", token: "t").probeSharing == nil)
        let error = #expect(throws: ConfigurationError.self) { try OrchestratorConfiguration.parse(["DivideProbesAmongNodes": true]) }
        #expect(error?.description.contains("DivideProbesAmongNodes") == true && error?.description.contains("EtcdEndpoints") == true, "\(String(describing: error))")
        var values = etcd
        values["DivideProbesAmongNodes"] = true
        values["URLPrefix"] = "/orc"
        values["AuthenticationMethod"] = "basic"
        values["HTTPAuthUser"] = "u"
        values["HTTPAuthPassword"] = "p"
        let sharing = try #require(try OrchestratorConfiguration.parse(values).engineConfiguration(hostname: "h", token: "t").probeSharing)
        #expect(sharing.path == "/orc/api/probe-share")
        #expect(sharing.headers.map(\.name) == ["Authorization"] && sharing.headers.first?.value == "Basic dTpw")
        #expect(try OrchestratorConfiguration.parse(values).unknownKeys.isEmpty)
    }
}

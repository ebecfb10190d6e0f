import Engine
import Testing

/// Virtual names go into CHANGE MASTER and map back when a replica reports them.
struct HostnameUnresolvesTests {
    @Test func virtualNamesMapBothWays() {
        let names = HostnameUnresolves()
        #expect(names.masterHost(for: "db1") == "db1")
        names.register("db1", as: "vip-shop")
        #expect(names.masterHost(for: "db1") == "vip-shop")
        #expect(names.virtualName(of: "db1") == "vip-shop")
        #expect(names.host(named: "vip-shop") == "db1", "a replica pointed at the VIP belongs under db1")
        #expect(names.host(named: "db2") == "db2")
        #expect(names.deregister("db1"))
        #expect(!names.deregister("db1"))
        #expect(names.host(named: "vip-shop") == "vip-shop")
        names.replaceAll(["db3": "vip-billing"])
        #expect(names.masterHost(for: "db3") == "vip-billing")
    }

    @Test func aNameSeveralHostsClaimMapsToNone() {
        let names = HostnameUnresolves(["db1": "vip", "db2": "vip"])
        #expect(names.host(named: "vip") == "vip", "ambiguous: left unmapped rather than guessed")
        #expect(names.otherHosts(using: "vip", besides: "db1") == ["db2"])
    }
}

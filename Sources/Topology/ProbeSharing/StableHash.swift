/// A hash that is the same in every process and on every machine (Swift's `Hasher` is seeded
/// per process, so two nodes would disagree): FNV-1a 64 over the UTF-8 bytes, then MurmurHash3's
/// 64-bit finaliser so that names differing in one character spread over the whole range
/// (rendezvous hashing compares whole values, and FNV-1a alone mixes the last bytes poorly).
package enum StableHash {
    package static func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// MurmurHash3's `fmix64`: every input bit affects every output bit.
    package static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// The stable hash of `text`.
    package static func of(_ text: String) -> UInt64 { mix(fnv1a64(text.utf8)) }
}

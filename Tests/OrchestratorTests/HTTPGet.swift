import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A plain GET for tests that save what the server answers.
enum HTTPGet {
    static func data(_ url: String) async throws -> Data {
        guard let address = URL(string: url) else { throw URLError(.badURL) }
        let (data, _) = try await URLSession.shared.data(from: address)
        return data
    }
}

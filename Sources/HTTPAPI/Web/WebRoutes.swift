import Foundation
import Hummingbird

/// The web page, at orchestrator's URLs: `/` redirects to `/web/clusters`; every `/web/…` page
/// is the same HTML shell whose script draws the view the path names (clusters, a cluster by
/// name or alias, problems, recoveries, audit, a recovery plan); `/web/static/…` serves the
/// script and the stylesheet. The files ship as package resources: nothing to build.
struct WebRoutes<Context: RequestContext> {
    let assets: WebAssets
    /// `URLPrefix`, so links and requests from the page stay under it.
    var prefix: String = ""

    static var pages: [String] {
        [
            "web", "web/clusters", "web/cluster/:clusterName", "web/cluster/alias/:clusterAlias", "web/problems",
            "web/recoveries", "web/audit", "web/audit/:page", "web/recovery-plan/:clusterHint",
        ]
    }

    func register(on router: Router<Context>) {
        let prefix = prefix
        let pages = router.group(RouterPath(prefix.isEmpty ? "/" : prefix))
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "\(prefix)/web/clusters"]) }
        if !prefix.isEmpty {
            pages.get("/") { _, _ in Response(status: .found, headers: [.location: "\(prefix)/web/clusters"]) }
        }
        let shell = assets.page(prefix: prefix)
        for page in Self.pages {
            pages.get(RouterPath(page)) { _, _ in Self.respond(shell, type: "text/html; charset=utf-8") }
        }
        pages.get("web/static/:file") { _, context in
            let name = context.parameters.get("file") ?? ""
            guard let file = assets.file(name) else { throw HTTPError(.notFound, message: "no such file: \(name)") }
            return Self.respond(file.data, type: file.type)
        }
    }

    private static func respond(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The page's files, read once from the package's resources.
struct WebAssets: Sendable {
    private let files: [String: (data: Data, type: String)]

    init(bundle: Bundle = .module) {
        var files: [String: (Data, String)] = [:]
        for (name, type) in [("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8")] {
            let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
            if let url = bundle.url(forResource: base, withExtension: ext, subdirectory: "Public") ?? bundle.url(forResource: base, withExtension: ext),
               let data = try? Data(contentsOf: url) {
                files[name] = (data, type)
            }
        }
        self.files = files
    }

    func file(_ name: String) -> (data: Data, type: String)? {
        guard name != "index.html" else { return nil }
        return files[name]
    }

    /// The HTML shell with the URL prefix filled in.
    func page(prefix: String) -> Data {
        let html = files["index.html"].map { String(decoding: $0.data, as: UTF8.self) } ?? "<!doctype html><title>orchestrator</title><p>The web page's files are missing from this build."
        return Data(html.replacingOccurrences(of: "{{PREFIX}}", with: prefix).utf8)
    }
}

import Hummingbird
import Prometheus

/// `GET /metrics`: the Prometheus text exposition of the process's registry.
struct MetricsRoute {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<APIRequestContext>) {
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}

/// Reads samples out of Prometheus text exposition, for tests that check `/metrics`.
package enum PrometheusText {
    /// The value of the sample `name` whose labels include every pair in `labels`; `nil` when
    /// there is none. Labels are matched as a set, whatever their order on the line.
    package static func value(in text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let sampleName: Substring
            var sampleLabels: [String: String] = [:]
            if let brace = series.firstIndex(of: "{") {
                sampleName = series[..<brace]
                let inner = series[series.index(after: brace)..<(series.lastIndex(of: "}") ?? series.endIndex)]
                for pair in inner.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    sampleLabels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            } else {
                sampleName = series
            }
            guard sampleName == name, labels.allSatisfy({ sampleLabels[$0.key] == $0.value }) else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
    }
}

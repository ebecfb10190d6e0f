import Topology

/// What failure detection needs from the configuration file.
package struct DetectionConfiguration: Sendable {
    package var analysis: AnalysisConfiguration
    /// `FailureDetectionPeriodBlockMinutes`: a problem is recorded (and hooked) once per period.
    package var failureDetectionPeriodBlockMinutes: Double
    /// `OnFailureDetectionProcesses`.
    package var onFailureDetectionProcesses: [String]
    /// No detection is recorded this long after start, while the first probes replace facts
    /// loaded from the store (orchestrator waits 3 × `InstancePollSeconds`).
    package var startupGracePeriod: Duration
    /// This node, as analysis entries and detections name it.
    package var nodeHostname: String
    package var nodeToken: String

    package init(
        analysis: AnalysisConfiguration, failureDetectionPeriodBlockMinutes: Double = 60, onFailureDetectionProcesses: [String] = [],
        startupGracePeriod: Duration, nodeHostname: String, nodeToken: String
    ) {
        self.analysis = analysis
        self.failureDetectionPeriodBlockMinutes = failureDetectionPeriodBlockMinutes
        self.onFailureDetectionProcesses = onFailureDetectionProcesses
        self.startupGracePeriod = startupGracePeriod
        self.nodeHostname = nodeHostname
        self.nodeToken = nodeToken
    }
}

import Foundation
import Measurement
import SystemIO

/// `jsa-bench sampling-worker`: a measuring process. It reads a `WorkerSetup` line, builds,
/// verifies, calibrates and warms up those cases (a `LocalMeasuringProcess`, counting the setup's
/// hardware events around every sample), prints its hello, then answers each `WorkerRequest` line
/// with one `WorkerReply` line until its input ends.
///
/// A sweep runs a few of these per size, one after the other, so that each size's rounds are
/// spread over fresh processes (a process's buffer placement biases its numbers); the gate's A/B
/// way runs one of each build side by side and alternates between them sample by sample.
public enum SamplingWorker {
    /// The subcommand of jsa-bench that serves as a sampling worker (started as `EXECUTABLE NAME`).
    public static let commandName = "sampling-worker"

    /// Serves the protocol on standard input and output.
    /// - Throws: only when standard output cannot be written (the parent has gone).
    public static func serve() throws {
        ParentWatch.endWithParent()
        guard let line = readLine(), let setup = try? JSONDecoder().decode(WorkerSetup.self, from: Data(line.utf8)) else {
            try send(WorkerReply(protocolVersion: WorkerProtocol.version, error: "the first line must be a worker setup"))
            return
        }
        if let cpu = setup.cpu {
            do {
                try CPUAffinity.pin(to: cpu)
            } catch {
                try send(WorkerReply(protocolVersion: WorkerProtocol.version, error: error.description))
                return
            }
        }
        // Hardware counters count the process that reads them: this one, around its own samples.
        let events = setup.counterEvents ?? []
        let counters = events.isEmpty ? nil : try? PAPICounterSource(names: events.map { ($0, nil) }, strict: false)
        let measurer: LocalMeasuringProcess
        do {
            measurer = try LocalMeasuringProcess(setup: setup, counters: counters)
        } catch {
            try send(WorkerReply(protocolVersion: WorkerProtocol.version, error: error.description))
            return
        }
        try send(measurer.hello)
        while let line = readLine() {
            guard let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)) else {
                try send(WorkerReply(error: "unknown request '\(line.prefix(80))'"))
                continue
            }
            try send(measurer.reply(to: request))
        }
    }

    static func send(_ reply: WorkerReply) throws {
        try StandardStreams.writeOutput(String(decoding: try JSONEncoder().encode(reply), as: UTF8.self) + "\n")
    }
}

import Foundation
import Measurement
import Testing
@testable import Sweep

@Suite struct AnswerTimeoutTests {
    /// The wait grows with the samples an answer needs: twice the minimum sample each (at least
    /// 1 ms), with the fast-level waits' budget on top.
    @Test func theWaitGrowsWithTheSamplesAnAnswerNeeds() {
        let plain = AnswerTimeout(baseSeconds: 300, minimumSampleMs: 10)
        #expect(plain.seconds(samples: 0) == 300)
        #expect(abs(plain.seconds(samples: 100) - 302) < 1e-9)
        let waiting = AnswerTimeout(baseSeconds: 300, minimumSampleMs: 10, fastLevelWait: FastLevelWait(budgetRatio: 2.5))
        #expect(abs(waiting.seconds(samples: 100) - 307) < 1e-9)
        let short = AnswerTimeout(baseSeconds: 1, minimumSampleMs: 0.05)
        #expect(abs(short.seconds(samples: 500) - 2) < 1e-9)
    }

    /// `JSA_BENCH_WORKER_TIMEOUT` sets the base; anything but a positive number of seconds is refused.
    @Test func theBaseIsSetByTheVariableAndMustBeAPositiveNumber() throws {
        #expect(try AnswerTimeout.baseSeconds(in: [:]) == 300)
        #expect(try AnswerTimeout.baseSeconds(in: ["JSA_BENCH_WORKER_TIMEOUT": "20"]) == 20)
        #expect(try AnswerTimeout.baseSeconds(in: ["JSA_BENCH_WORKER_TIMEOUT": "0.5"]) == 0.5)
        for text in ["abc", "0", "-5", "inf", "nan", ""] {
            let error = #expect(throws: AnswerTimeout.InvalidBase.self) {
                try AnswerTimeout.baseSeconds(in: ["JSA_BENCH_WORKER_TIMEOUT": text])
            }
            #expect(error?.description == "JSA_BENCH_WORKER_TIMEOUT='\(text)': not a positive number of seconds")
        }
    }

    /// A worker whose hello takes 2 s: within the wait where its setup's samples would take that
    /// long, past it where they would not (the base here 0.5 s, as `JSA_BENCH_WORKER_TIMEOUT`
    /// would set it).
    @Test func aWorkersHelloMayTakeAsLongAsItsCalibrationNeeds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slow-worker-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("worker").path
        let hello = #"{"protocol":"\#(WorkerProtocol.version)","build_configuration":"release","cases":[],"epochs_per_sample":8}"#
        try "#!/bin/sh\nread setup\nsleep 2\necho '\(hello)'\ncat >/dev/null\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        // One size, one kernel: 12 cases, each calibrated in at most 5 samples' time.
        let long = WorkerSetup(sizes: [1000], kernels: [.scalar], minimumSampleMs: 100)
        let worker = try WorkerMeasuringProcess(executable: path, setup: long, answerBaseSeconds: 0.5, shouldStop: { false })
        worker.stop()
        let short = WorkerSetup(sizes: [1000], kernels: [.scalar], minimumSampleMs: 1)
        let failure = #expect(throws: MeasuringFailure.self) {
            try WorkerMeasuringProcess(executable: path, setup: short, answerBaseSeconds: 0.5, shouldStop: { false })
        }
        #expect(failure?.kind == .failed && failure?.description.contains("did not answer within") == true, "\(failure?.description ?? "")")
    }
}

import Foundation
import Measurement
import Results
import SystemIO

/// Way (b) of the gate: two builds of jsa-bench, each running as a `sampling-worker`, sampled in
/// alternation — for every case, A B B A ... sample by sample — so that whatever the machine does
/// over a second (a neighbour on the host, a frequency change) hits both builds alike.
///
/// Both workers of a round run on the same logical CPU (the next one each round): on a VM, one
/// vCPU can be slowed by the host while the other is not, and two workers on two CPUs would see
/// different machines. Every round starts a fresh pair of workers: within one process, where the
/// OS and the allocator happened to put the buffers (physical pages, address bits above the page
/// offset) is fixed, and on this project's machine it moved some cases by 10–20% between two
/// processes of the same build; one pair for all rounds would turn that luck into a "significant"
/// difference. With a pair per round it is drawn anew each round, for both builds, and shows up
/// as round-to-round noise in the interval instead.
///
/// Each round gives, per case, the median of each build's samples: one paired observation.
public enum ABRunner {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The other build cannot take part (no sampling worker, another protocol): exit 4, not 70.
        public let unfit: Bool
    }

    /// What the rounds produced.
    public struct Outcome: Sendable {
        /// Cases both builds have, in the head build's order, with one median per round each.
        public var cases: [PairedCase]
        /// Cases only the head build has, and only the base build has.
        public var added: [String]
        public var removed: [String]
        /// What the first round's workers said.
        public var base: SamplingWorker.Hello
        public var head: SamplingWorker.Hello
    }

    /// Runs `rounds` rounds, each with a fresh pair of workers started with `workerArguments`,
    /// taking `samplesPerRound` samples per build and case; cases whose id matches one of `skip`
    /// (`*` wildcards) are left out. `progress` is told after each round.
    public static func run(base: String, head: String, rounds: Int, samplesPerRound: Int, workerArguments: [String],
                           skip: [String] = [], progress: (Int) -> Void = { _ in }) throws(Failure) -> Outcome {
        guard rounds > 0 else { throw Failure(description: "no rounds to run", unfit: false) }
        signal(SIGPIPE, SIG_IGN)  // a worker that dies must give an error here, not kill the gate
        var outcome: Outcome?
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        for round in 0..<rounds {
            let arguments = workerArguments + ["--cpu", "\(round % cpus)"]
            // Which build starts (and allocates) first alternates too.
            let (a, b) = try WorkerProcess.pair(base: base, head: head, arguments: arguments, baseFirst: round % 2 == 0)
            defer {
                a.stop()
                b.stop()
            }
            if outcome == nil {
                outcome = Outcome(base: a.hello, head: b.hello, skip: skip)
            }
            guard a.hello.cases == outcome!.base.cases, b.hello.cases == outcome!.head.cases else {
                throw Failure(description: "the workers of round \(round + 1) offer other cases than those of round 1", unfit: false)
            }
            let indices = outcome!.indices
            for k in outcome!.cases.indices {
                let (indexA, indexB) = indices[k]
                var samplesA: [Double] = []
                var samplesB: [Double] = []
                for s in 0..<samplesPerRound {
                    if (round + k + s) % 2 == 0 {
                        samplesA.append(try a.sample(indexA))
                        samplesB.append(try b.sample(indexB))
                    } else {
                        samplesB.append(try b.sample(indexB))
                        samplesA.append(try a.sample(indexA))
                    }
                }
                outcome!.cases[k].base.append(Statistics.median(samplesA))
                outcome!.cases[k].head.append(Statistics.median(samplesB))
            }
            progress(round + 1)
        }
        return outcome!
    }
}

extension ABRunner.Outcome {
    /// No rounds yet: the cases both workers offer and `skip` does not match.
    init(base: SamplingWorker.Hello, head: SamplingWorker.Hello, skip: [String]) {
        let baseIndex = Dictionary(base.cases.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let headIDs = Set(head.cases)
        let compared = head.cases.filter { id in baseIndex[id] != nil && !skip.contains { Glob.matches(id, pattern: $0) } }
        self.init(cases: compared.map { PairedCase(id: $0, base: [], head: []) },
                  added: head.cases.filter { baseIndex[$0] == nil }, removed: base.cases.filter { !headIDs.contains($0) },
                  base: base, head: head)
    }

    /// Per compared case, its index in the base and in the head worker.
    var indices: [(base: Int, head: Int)] {
        cases.map { c in (base.cases.firstIndex(of: c.id)!, head.cases.firstIndex(of: c.id)!) }
    }
}

/// A running `jsa-bench sampling-worker` and its two pipes.
final class WorkerProcess {
    let executable: String
    let hello: SamplingWorker.Hello
    private let process = Process()
    private let requests = Pipe()
    private let answers: PipeReader
    private let errors: URL

    init(executable: String, arguments: [String]) throws(ABRunner.Failure) {
        self.executable = executable
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-worker-\(UUID()).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["sampling-worker"] + arguments
        process.standardInput = requests
        process.standardOutput = output
        process.standardError = try? FileHandle(forWritingTo: errors)
        answers = PipeReader(output.fileHandleForReading)
        do {
            try process.run()
        } catch {
            throw ABRunner.Failure(description: "cannot run \(executable): \(error)", unfit: false)
        }
        guard let line = answers.next() else {
            let reason = Self.lastLine(errors).map { ": \($0)" } ?? ""
            process.waitUntilExit()
            throw ABRunner.Failure(
                description: "\(executable) sampling-worker exited \(process.terminationStatus) without starting\(reason) "
                    + "(a jsa-bench without the sampling worker cannot take part in --baseline-exec)",
                unfit: true)
        }
        guard let hello = try? JSONDecoder().decode(SamplingWorker.Hello.self, from: Data(line.utf8)),
              hello.protocolVersion == SamplingWorker.protocolVersion
        else {
            throw ABRunner.Failure(description: "\(executable) sampling-worker speaks another protocol: '\(line.prefix(80))' "
                + "(this build speaks \(SamplingWorker.protocolVersion))", unfit: true)
        }
        self.hello = hello
    }

    /// Starts a base and a head worker, in the order `baseFirst` says; stops the first if the second fails.
    static func pair(base: String, head: String, arguments: [String], baseFirst: Bool) throws(ABRunner.Failure)
        -> (base: WorkerProcess, head: WorkerProcess)
    {
        let first = try WorkerProcess(executable: baseFirst ? base : head, arguments: arguments)
        do {
            let second = try WorkerProcess(executable: baseFirst ? head : base, arguments: arguments)
            return baseFirst ? (first, second) : (second, first)
        } catch {
            first.stop()
            throw error
        }
    }

    /// One sample of case `index`, ns per call.
    func sample(_ index: Int) throws(ABRunner.Failure) -> Double {
        let written: Bool
        do {
            try requests.fileHandleForWriting.write(contentsOf: Data(SamplingProtocol.Request.sample(index).line.utf8))
            written = true
        } catch {
            written = false
        }
        guard written, let line = answers.next() else {
            let reason = Self.lastLine(errors).map { ": \($0)" } ?? ""
            throw ABRunner.Failure(description: "\(executable) sampling-worker stopped answering\(reason)", unfit: false)
        }
        guard let ns = SamplingProtocol.decode(line) else {
            throw ABRunner.Failure(description: "\(executable) sampling-worker answered '\(line.prefix(80))'", unfit: false)
        }
        return ns
    }

    /// Closes its input (the worker exits at end of input) and waits for it.
    func stop() {
        try? requests.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: errors)
    }

    private static func lastLine(_ file: URL) -> String? {
        (try? String(contentsOf: file, encoding: .utf8))?.split(separator: "\n").last.map(String.init)
    }
}

/// The noise floor of each case, measured by A/A runs (`gate --calibrate`): half the 95% interval
/// of the paired ratio when both builds are the same. A threshold below it cannot be judged.
public struct NoiseFloor: Codable, Sendable {
    public static let schemaVersion = "jsa-bench/noise/v1"
    public var schema = NoiseFloor.schemaVersion
    public var rounds: Int
    /// Case id → relative noise (0.03 = ±3%).
    public var cases: [String: Double]

    public init(rounds: Int, cases: [String: Double]) {
        self.rounds = rounds
        self.cases = cases
    }
}

import Analysis
import ArgumentParser
import Foundation
import JSA
import Measurement
import Reporting
import Results
import Sweep
import SystemIO

extension ComparisonMetric: ExpressibleByArgument {}
extension ComparisonBasis: ExpressibleByArgument {}
extension Gate.Format: ExpressibleByArgument {}

/// Options shared by `compare` and `gate`: what to compare and with which thresholds.
struct ComparisonOptions: ParsableArguments {
    @Option(help: "What to compare: time or instructions (callgrind counts, deterministic).")
    var metric: ComparisonMetric = .time

    @Option(help: ArgumentHelp("(time, stored runs) estimates: each run's case estimates and their intervals; memcpy: each "
        + "case's time relative to memcpy at the same n in its own run (machine speed cancels); samples: the raw samples as "
        + "independent draws (v1: bootstrap of the medians' ratio, Mann-Whitney U).", valueName: "basis"))
    var basis: ComparisonBasis = .estimates

    @Option(help: ArgumentHelp("Relative threshold for time (5% or 0.05).", valueName: "fraction"))
    var threshold: String = "5%"

    @Option(help: ArgumentHelp("Relative threshold for instruction counts.", valueName: "fraction"))
    var instructionsThreshold: String = "1%"

    @Option(help: ArgumentHelp("Per-case threshold, PATTERN=T[:metric] (`*` wildcards), repeatable; the last match wins.",
                               valueName: "pattern=threshold"))
    var thresholdFor: [String] = []

    @Option(help: ArgumentHelp("File of per-case thresholds: one 'PATTERN THRESHOLD [time|instructions]' per line.", valueName: "file"))
    var config: String?

    @Option(help: "Output: text, markdown or json.")
    var format: Gate.Format = .text

    /// The thresholds these options describe, or a usage error naming the bad one.
    func thresholds() throws -> Thresholds {
        var thresholds = Thresholds()
        guard let time = Thresholds.parseFraction(threshold) else {
            throw ValidationError("--threshold: '\(threshold)' is not a fraction like 5% or 0.05")
        }
        guard let instructions = Thresholds.parseFraction(instructionsThreshold) else {
            throw ValidationError("--instructions-threshold: '\(instructionsThreshold)' is not a fraction like 1% or 0.01")
        }
        thresholds.time = time
        thresholds.instructions = instructions
        if let config {
            let text = try readInput(config)
            do {
                thresholds.overrides += try Thresholds.parseConfig(text)
            } catch {
                throw failure("\(config): \(error)", ExitStatus.dataError)
            }
        }
        for text in thresholdFor {
            guard let override = Thresholds.parseOverride(text) else {
                throw ValidationError("--threshold-for: '\(text)' is not PATTERN=THRESHOLD[:time|instructions]")
            }
            thresholds.overrides.append(override)
        }
        return thresholds
    }
}

/// `jsa-bench compare`: per case, HEAD against BASE, with statistics and a verdict.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files case by case: ratio with bootstrap CI, rank-test p-value, verdict.",
        discussion: "Verdicts: slower / faster when the ratio is beyond the threshold, its 95% CI excludes 1 and the "
            + "test is significant (p < 0.05 after the Holm correction over all cases); inconclusive when half the CI is wider "
            + "than the threshold; unchanged otherwise. With --basis estimates (the default) the ratio is of the two runs' "
            + "estimates and its interval combines theirs. Instruction counts are deterministic: their verdict is the ratio "
            + "against the threshold. Exit 0 (65/66 for bad files).")

    @Argument(help: ArgumentHelp("The baseline results JSON.", valueName: "base.json"))
    var base: String

    @Argument(help: ArgumentHelp("The results JSON to judge.", valueName: "head.json"))
    var head: String

    @OptionGroup var options: ComparisonOptions

    func run() throws {
        let thresholds = try options.thresholds()
        let comparison = RunComparison.compare(base: try readResults(base), head: try readResults(head), metric: options.metric,
                                               thresholds: thresholds, basis: options.basis)
        try emit(try Gate.render(comparison, format: options.format))
    }
}

/// `jsa-bench gate`: a CI regression gate with one exit code per verdict.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Fail CI on a regression that is both beyond its threshold and statistically significant.",
        discussion: """
            Exit codes: 0 pass (improvements are reported); 1 regression; 3 inconclusive (the noise of some \
            case is larger than its threshold, so nothing can be said — the message says by how much); \
            4 unfit to compare (a debug build, different machines — CPU model, CPUs, caches — or schemas, \
            unless --allow-mismatch); 64 usage (including a threshold below the calibrated noise floor); \
            65 an invalid results or config file; 66 a missing file.

            Three ways to gate: (a) --baseline BASE.json HEAD.json against a stored run, for quiet \
            dedicated machines; (b) --baseline-exec OLD/jsa-bench starts the old build and this one side by \
            side (each as a sampling worker) and samples every case from each in turn, A B B A, so both \
            see the same machine; it decides on the paired per-round ratios (bootstrap on the log \
            ratios, sign test) — the way to gate wall time on a shared runner; \
            (c) --metric instructions --baseline Reports/baselines/callgrind.json HEAD.json on callgrind \
            counts, deterministic anywhere (scripts/gate-instructions). --calibrate runs (b) with this \
            build against itself and records each case's noise floor (--noise FILE), below which \
            thresholds are refused.
            """)

    @Option(help: ArgumentHelp("(a, c) The baseline results JSON.", valueName: "base.json"))
    var baseline: String?

    @Argument(help: ArgumentHelp("(a, c) The results JSON to judge.", valueName: "head.json"))
    var head: String?

    @Option(help: ArgumentHelp("(b) The baseline build's jsa-bench, run against this one in alternating rounds.", valueName: "path"))
    var baselineExec: String?

    @Flag(help: "Run this build against itself (A/A) and record each case's noise floor in --noise.")
    var calibrate = false

    @Option(help: "(b, calibrate) Rounds: in each, every case gets --samples samples from each build, alternating A B B A.")
    var rounds: Int = 20

    @Option(help: ArgumentHelp("(b, calibrate) Sizes of the sweep cases compared.", valueName: "list"))
    var sizes: String = "1000,100000"

    @Option(help: ArgumentHelp("(b, calibrate) Kernels of the sweep cases compared.", valueName: "list"))
    var kernels: String = "scalar,avx2,auto"

    @Option(help: "(b, calibrate) Samples per case and build in each round; the round's ratio is of their medians.")
    var samples: Int = 9

    @Option(help: ArgumentHelp("""
        (b, calibrate) Cases left out, as id patterns (`*` wildcards), comma-separated; `none` for none. \
        By default the deliberately 4K-aliased cases, whose time depends on where each process's \
        buffers land (2× between two processes of one build here), and the all-cores batch, whose \
        thread wake-ups vary by ±10% from round to round on a 2-core VM.
        """, valueName: "patterns"))
    var skip: String = "native/into_aliased/*,batch/all_cores/*"

    @Option(help: ArgumentHelp("Noise floor file: written by --calibrate, read by (b) to refuse thresholds below it.", valueName: "file"))
    var noise: String = GateCommand.defaultNoise

    static let defaultNoise = "Reports/baselines/noise.json"

    @OptionGroup var options: ComparisonOptions

    @Flag(help: "Compare even across machines, schemas or build configurations.")
    var allowMismatch = false

    func validate() throws {
        let modes = [baseline != nil, baselineExec != nil, calibrate].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --baseline, --baseline-exec or --calibrate") }
        if baseline != nil && head == nil { throw ValidationError("--baseline needs the HEAD results file as its argument") }
        if baseline == nil && head != nil { throw ValidationError("a HEAD results file goes with --baseline") }
        guard (2...10_000).contains(rounds) else { throw ValidationError("--rounds must be in 2...10000, got \(rounds)") }
        guard (1...10_000).contains(samples) else { throw ValidationError("--samples must be in 1...10000, got \(samples)") }
        if baseline == nil {
            // The cases the workers will build: the same checks as a sweep's (sizes that fit this
            // machine, kernels it can run: 69 otherwise).
            try SweepCommand.check(try workerConfiguration())
            if !calibrate { _ = try noiseFloor() }
        }
        if let baselineExec {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: baselineExec, isDirectory: &isDirectory) else {
                throw failure("\(baselineExec): no such executable", ExitStatus.noInput)
            }
            guard !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: baselineExec) else {
                throw failure("\(baselineExec): \(isDirectory.boolValue ? "a directory" : "not executable"), not a jsa-bench build",
                              ExitStatus.noInput)
            }
        }
        if calibrate {
            try SweepCommand.prepareOutput(noise, isDefault: noise == Self.defaultNoise, flag: "--noise")
        }
    }

    /// The sweep configuration of the workers' cases (`--sizes`, `--kernels`).
    func workerConfiguration() throws -> SweepConfiguration {
        let sizeList: [Int]
        let kernelList: [Kernel]
        do {
            sizeList = try SizeList.parse(sizes)
        } catch {
            throw ValidationError("--sizes: \(error)")
        }
        do {
            kernelList = try KernelList(parsing: kernels).kernels
        } catch {
            throw ValidationError("--kernels: \(error)")
        }
        return SweepConfiguration(sizes: sizeList, kernels: kernelList, samples: samples)
    }

    /// The noise floor of `--noise`: nil when the file does not exist; a file that is not one is
    /// an error (65), never silently ignored.
    func noiseFloor() throws -> NoiseFloor? {
        guard FileManager.default.fileExists(atPath: noise) else { return nil }
        guard let floor = try? JSONDecoder().decode(NoiseFloor.self, from: Data(try readInput(noise).utf8)),
              floor.schema == NoiseFloor.schemaVersion,
              floor.cases.values.allSatisfy({ $0.isFinite && $0 >= 0 })
        else {
            if calibrate { return nil }  // about to be written anew
            throw failure("\(noise): not a \(NoiseFloor.schemaVersion) noise floor (written by gate --calibrate)", ExitStatus.dataError)
        }
        return floor
    }

    func run() throws {
        let thresholds = try options.thresholds()
        if let baseline, let head {
            try gateFiles(baseline: baseline, head: head, thresholds: thresholds)
        } else {
            try gateBuilds(thresholds: thresholds)
        }
    }

    /// Ways (a) and (c).
    func gateFiles(baseline: String, head: String, thresholds: Thresholds) throws {
        let base = try readResults(baseline)
        let current = try readResults(head)
        let problems = Gate.unfitness(base: base, head: current, metric: options.metric)
        if !problems.isEmpty && !allowMismatch {
            throw failure("unfit to compare \(baseline) with \(head): \(problems.joined(separator: "; ")) (--allow-mismatch to compare anyway)",
                          ExitCode(Gate.Outcome.unfit.rawValue))
        }
        let comparison = RunComparison.compare(base: base, head: current, metric: options.metric, thresholds: thresholds,
                                               basis: options.basis)
        try finish(comparison, nothingToCompare: "no case of \(head) has a \(options.metric.rawValue) to compare with \(baseline)")
    }

    /// Way (b), and the A/A calibration.
    func gateBuilds(thresholds: Thresholds) throws {
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let base = baselineExec ?? this
        guard FileManager.default.isExecutableFile(atPath: base) else {
            throw failure("\(base): no such executable", ExitStatus.noInput)
        }
        let outcome: ABRunner.Outcome
        let configuration = try workerConfiguration()
        let setup = WorkerSetup(sizes: configuration.sizes, kernels: configuration.kernels,
                                skip: skip == "none" ? [] : skip.split(separator: ",").map(String.init))
        Interruption.install()
        do {
            outcome = try ABRunner.run(base: base, head: this, rounds: rounds, samplesPerRound: samples, setup: setup,
                                       shouldStop: { Interruption.requested }) { round in
                note("gate round \(round) of \(self.rounds) done")
            }
        } catch {
            switch error.kind {
            case .unfit: throw failure(error.description, ExitCode(Gate.Outcome.unfit.rawValue))
            case .stopped: throw failure("interrupted: \(error.description)", ExitCode(Interruption.exitStatus ?? 130))
            case .failed: throw failure(error.description, ExitStatus.software)
            }
        }
        let debug = [(base, outcome.baseBuild), (this, outcome.headBuild)].filter { $0.1 != "release" }
        if !debug.isEmpty && !allowMismatch {
            throw failure("unfit to compare: \(debug.map { "\($0.0) is a \($0.1) build" }.joined(separator: "; ")) "
                + "(--allow-mismatch to compare anyway)", ExitCode(Gate.Outcome.unfit.rawValue))
        }
        for failed in outcome.failed {
            note("not compared, output differs from scalar: \(failed)")
        }
        let comparison = RunComparison.comparePaired(outcome.cases, added: outcome.added, removed: outcome.removed,
                                                     thresholds: thresholds)
        if calibrate {
            let floor = NoiseFloor(rounds: self.rounds, cases: Dictionary(uniqueKeysWithValues: comparison.cases.compactMap { c in
                c.statistics.map { (c.id, ($0.ci95High - $0.ci95Low) / 2) }
            }))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: noise).deletingLastPathComponent().path,
                                                     withIntermediateDirectories: true)
            do {
                try AtomicFile.write(try encoder.encode(floor), to: noise)
            } catch {
                throw failure("\(error)", ExitStatus.cannotCreate)
            }
            try emit(try Gate.render(comparison, format: options.format))
            let worst = floor.cases.max { $0.value < $1.value }
            try emit("Noise floor of \(floor.cases.count) cases recorded in \(noise)"
                + (worst.map { "; worst ±\(String(format: "%.1f", 100 * $0.value))% (\($0.key))" } ?? "") + ".\n")
            return
        }
        if let floor = try noiseFloor() {
            for c in comparison.cases {
                if let level = floor.cases[c.id], c.threshold < level {
                    throw failure(String(format: "threshold %.1f%% for %@ is below its noise floor ±%.1f%% (from gate --calibrate, %@); "
                        + "raise it with --threshold-for or gate on a quieter machine", 100 * c.threshold, c.id, 100 * level, noise),
                        ExitStatus.usage)
                }
            }
        }
        try finish(comparison, nothingToCompare: "the two builds share no timed case")
    }

    func finish(_ comparison: RunComparison, nothingToCompare: String) throws {
        let outcome = Gate.outcome(of: comparison)
        try emit(try Gate.render(comparison, format: options.format, outcome: outcome))
        if comparison.cases.isEmpty {
            throw failure(nothingToCompare, ExitStatus.dataError)
        }
        if outcome != .pass {
            throw ExitCode(outcome.rawValue)
        }
    }
}

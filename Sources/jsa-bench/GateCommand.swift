import Analysis
import ArgumentParser
import BenchModel
import Foundation
import JSA
import Measurement
import Reporting
import Sweep
import SystemIO

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
            65 an invalid results or config file; 66 a missing file; 71 (way b) a measuring process \
            of either build could not run: not started, crashed, silent past its time-out, or unable \
            to measure (buffers the system would not map); 78 malformed JSA_BENCH_WORKER_TIMEOUT.

            Three ways to gate: (a) --baseline BASE.json HEAD.json against a stored run, for quiet \
            dedicated machines; (b) --baseline-exec OLD/jsa-bench starts the old build and this one side by \
            side (each as a sampling worker) and samples every case from each in turn, A B B A, so both \
            see the same machine; it decides on the paired per-round ratios (bootstrap on the log \
            ratios, sign test) — the way to gate wall time on a shared runner; with --baseline-env and \
            --head-env (and this build as the baseline) it compares two kernel variants or caps; \
            (c) --metric instructions,estimated_cycles,d1_misses,ll_misses --baseline \
            Reports/baselines/callgrind.json HEAD.json on counts from valgrind (instructions; with \
            sweep --counters cachesim the simulated cycles and cache misses), deterministic anywhere \
            (scripts/gate-instructions). --calibrate runs (b) with this \
            build against itself and records each case's noise floor (--noise FILE), below which \
            thresholds are refused.
            """)

    @Option(help: ArgumentHelp("(a, c) The baseline results JSON.", valueName: "base.json"))
    var baseline: String?

    @Argument(help: ArgumentHelp("(a, c) The results JSON to judge.", valueName: "head.json"))
    var head: String?

    @Option(help: ArgumentHelp("(b) The baseline build's jsa-bench, run against this one in alternating rounds.", valueName: "path"))
    var baselineExec: String?

    @Option(
        name: .customLong("baseline-env"),
        help: ArgumentHelp(
            """
            (b) NAME=VALUE set in the environment of the baseline build's workers (repeatable). With \
            --baseline-exec naming this build, `--baseline-env JSA_AVX2_VARIANT=split-loads --head-env \
            JSA_AVX2_VARIANT=lane-permute` compares two variants of a kernel in the same rounds.
            """, valueName: "NAME=VALUE"),
        transform: ListArguments.environmentAssignment)
    var baselineEnvironment: [EnvironmentAssignment] = []

    @Option(
        name: .customLong("head-env"),
        help: ArgumentHelp("(b) NAME=VALUE set in the environment of this build's workers (repeatable).", valueName: "NAME=VALUE"),
        transform: ListArguments.environmentAssignment)
    var headEnvironment: [EnvironmentAssignment] = []

    @Flag(help: "Run this build against itself (A/A) and record each case's noise floor in --noise.")
    var calibrate = false

    // Numbers are read even when they look like a flag (as in sweep).
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "(b, calibrate) Rounds: in each, a fresh pair of workers gives every case --samples samples from each build, "
                + "alternating A B B A. Where the workers differ (near a cache's capacity), more rounds narrow an interval "
                + "and more samples do not; an inconclusive case says about how many rounds it needs."))
    var rounds: Int = 20

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("(b, calibrate) Sizes of the sweep cases compared. (default: 1000,100000)", valueName: "list"),
        transform: ListArguments.sizes)
    var sizes: [Int] = [1000, 100_000]

    @Option(
        help: ArgumentHelp(
            "(b, calibrate) Kernels of the sweep cases compared. (default: scalar,avx2,auto; avx2 only where this CPU runs it)",
            valueName: "list"),
        transform: ListArguments.kernels)
    var kernels: [Kernel]?

    /// `--kernels`, or scalar, avx2 and auto, less avx2 on a CPU (or a cap) without it.
    var caseKernels: [Kernel] {
        kernels ?? [Kernel.scalar, .avx2, .auto].filter { kernel in (try? CPUFeatures.current())?.supports(kernel) ?? true }
    }

    @Option(
        parsing: .unconditional, help: "(b, calibrate) Samples per case and build in each round; the round's ratio is of their medians.")
    var samples: Int = 9

    @OptionGroup var epochs: EpochsOption

    @OptionGroup var pages: PagesOption

    @Option(
        help: ArgumentHelp(
            """
            (a on time, b, calibrate) Cases left out, as id patterns (`*` wildcards), comma-separated; \
            `none` for none. By default the deliberately 4K-aliased cases, whose time depends on where \
            each process's buffers land (2× between two processes of one build here), and the all-cores \
            batch, whose thread wake-ups vary by ±10% from round to round on a 2-core VM and whose \
            time moves between two runs by more than its interval says; and the allocator references, \
            which time the C library's allocator and the Swift runtime, not this project's code, at a \
            level set by where each process's allocator state puts the block.
            """, valueName: "patterns"))
    var skip: String = "native/into_aliased/*,batch/all_cores/*,reference/malloc_free/*,reference/swift_array/*"

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
        if baseline == nil && options.metric != [.time] {
            throw ValidationError("--baseline-exec and --calibrate compare time only; counts are gated with --baseline FILE")
        }
        if baseline == nil {
            // The cases the workers will build: the same checks as a sweep's (sizes that fit this
            // machine, kernels it can run: 69 otherwise).
            try SweepCommand.check(workerConfiguration())
            if !calibrate { _ = try noiseFloor() }
        }
        if let baselineExec {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: baselineExec, isDirectory: &isDirectory) else {
                throw failure("\(baselineExec): no such executable", ExitStatus.noInput)
            }
            guard !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: baselineExec) else {
                throw failure(
                    "\(baselineExec): \(isDirectory.boolValue ? "a directory" : "not executable"), not a jsa-bench build",
                    ExitStatus.noInput)
            }
        }
        if calibrate {
            try SweepCommand.prepareOutput(noise, isDefault: noise == Self.defaultNoise, flag: "--noise")
        }
        try validateEnvironments()
    }

    /// `--baseline-env` and `--head-env`: way (b) only, each variable once per side, and a cap and
    /// kernel variants this CPU can take (as a worker's kernels would refuse them, but before any
    /// round).
    func validateEnvironments() throws {
        guard !baselineEnvironment.isEmpty || !headEnvironment.isEmpty else { return }
        guard baselineExec != nil else {
            throw ValidationError(
                "--baseline-env and --head-env go with --baseline-exec (a calibration runs one build alike on both sides)")
        }
        for (flag, assignments) in [("--baseline-env", baselineEnvironment), ("--head-env", headEnvironment)] {
            do {
                _ = try EnvironmentAssignment.changes(assignments)
            } catch {
                throw ValidationError("\(flag): \(error.description)")
            }
            let value = { (name: String) in
                assignments.first { $0.name == name }?.value ?? ProcessInfo.processInfo.environment[name]
            }
            do {
                _ = try CPUFeatures.detect(disableList: value(CPUFeatures.disableVariable))
            } catch {
                throw ValidationError("\(flag): \(error.description)")
            }
            if let problem = ForcedVariants.problem(
                avx2: value(ForcedVariants.avx2Variable), avx512: value(ForcedVariants.avx512Variable),
                avx512vl: AVX512Variant.avx512vlDetected)
            {
                throw ValidationError("\(flag): \(problem)")
            }
        }
    }

    /// The patterns of `--skip` (none for `none`).
    var skipPatterns: [String] {
        skip == "none" ? [] : skip.split(separator: ",").map(String.init)
    }

    /// The sweep configuration of the workers' cases (`--sizes`, `--kernels`).
    func workerConfiguration() -> SweepConfiguration {
        SweepConfiguration(sizes: sizes, kernels: caseKernels, samples: samples)
    }

    /// The noise floor of `--noise`: nil when the file does not exist; a file that is not one is
    /// an error (65), never silently ignored, and so (64) is one measured on other pages or
    /// placements than `--pages` and `--placements` ask for, whose noise says nothing of these
    /// rows near and beyond the L2.
    func noiseFloor() throws -> NoiseFloor? {
        guard FileManager.default.fileExists(atPath: noise) else { return nil }
        guard let floor = NoiseFloor.decode(Data(try readInput(noise).utf8)) else {
            if calibrate { return nil }  // about to be written anew
            throw failure("\(noise): not a \(NoiseFloor.schemaVersion) noise floor (written by gate --calibrate)", ExitStatus.dataError)
        }
        let measuredOn = floor.pages ?? .base
        if !calibrate && measuredOn != pages.pages {
            throw failure(
                "\(noise): a noise floor measured on \(measuredOn.name), where this gate runs on \(pages.pages.name); "
                    + "calibrate with --pages \(pages.pages.rawValue) into another --noise file", ExitStatus.usage)
        }
        let placedOn = floor.placements ?? 1
        if !calibrate && placedOn != pages.placements {
            throw failure(
                "\(noise): a noise floor measured on \(placedOn) placement\(placedOn == 1 ? "" : "s") of the buffers per worker, "
                    + "where this gate measures on \(pages.placements); calibrate with --placements \(pages.placements) into "
                    + "another --noise file, or pass --placements \(placedOn)", ExitStatus.usage)
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
        var problems: [String] = []
        for metric in options.metric {
            problems += Gate.unfitness(base: base, head: current, metric: metric).filter { !problems.contains($0) }
        }
        if !problems.isEmpty && !allowMismatch {
            throw failure(
                "unfit to compare \(baseline) with \(head): \(problems.joined(separator: "; ")) (--allow-mismatch to compare anyway)",
                ExitCode(Gate.Outcome.unfit.rawValue))
        }
        let comparisons = options.metric.map {
            RunComparison.compare(
                base: base, head: current, metric: $0, thresholds: thresholds, basis: options.basis, leavingOut: skipPatterns)
        }
        let missing = comparisons.filter(\.cases.isEmpty)
        let leftOut = missing.map { $0.leftOut?.count ?? 0 }.max() ?? 0
        try finish(
            comparisons,
            nothingToCompare: "no case of \(head) has \(missing.map(\.metric.rawValue).joined(separator: ", ")) to compare with \(baseline)"
                + (missing.contains { $0.metric.isSimulated } ? " (simulated metrics come from sweep --counters cachesim)" : "")
                + (leftOut > 0 ? " (--skip \(skipPatterns.joined(separator: ",")) left out \(leftOut))" : ""))
    }

    /// Way (b), and the A/A calibration.
    func gateBuilds(thresholds: Thresholds) throws {
        try SweepCommand.checkAnswerTimeout()
        let this = RunningExecutable.path
        let base = baselineExec ?? this
        guard FileManager.default.isExecutableFile(atPath: base) else {
            throw failure("\(base): no such executable", ExitStatus.noInput)
        }
        let outcome: ABRunner.Outcome
        // Checked in validate(): each variable once per side.
        let baseChanges = (try? EnvironmentAssignment.changes(baselineEnvironment)) ?? [:]
        let headChanges = (try? EnvironmentAssignment.changes(headEnvironment)) ?? [:]
        let configuration = workerConfiguration()
        let setup = WorkerSetup(
            sizes: configuration.sizes, kernels: configuration.kernels, skip: skipPatterns, epochsPerSample: epochs.epochs,
            pages: pages.pages, placements: pages.placements)
        Interruption.install()
        if let refused = pages.pages.prepareMeasuringProcesses() {
            note("warning: \(refused)")
        }
        do {
            outcome = try ABRunner.run(
                base: base, head: this, rounds: rounds, samplesPerRound: samples, setup: setup,
                baseEnvironment: baseChanges, headEnvironment: headChanges,
                allowingOtherEpochs: allowMismatch, shouldStop: { Interruption.requested },
                compared: { (cases) throws(MeasuringFailure) in
                    if cases == 0 {
                        throw MeasuringFailure(
                            kind: .nothingToCompare,
                            description: "the two builds share no timed case"
                                + (setup.skip.isEmpty ? "" : " after --skip \(setup.skip.joined(separator: ","))"))
                    }
                    if let tooFew = RunComparison.tooFewRounds(rounds, cases: cases) {
                        note(
                            "\(tooFew): no case can be called slower or faster; --rounds \(RunComparison.roundsNeeded(cases: cases)) or more"
                        )
                    }
                }
            ) { round in
                note("gate round \(round) of \(self.rounds) done")
            }
        } catch {
            switch error.kind {
            case .unfit: throw failure(error.description, ExitCode(Gate.Outcome.unfit.rawValue))
            case .stopped: throw failure("interrupted: \(error.description)", ExitCode(Interruption.exitStatus ?? 130))
            case .nothingToCompare: throw failure(error.description, ExitStatus.dataError)
            case .failed: throw failure(error.description, ExitStatus.osError)
            }
        }
        let debug = [(base, outcome.baseBuild), (this, outcome.headBuild)].filter { $0.1 != "release" }
        if !debug.isEmpty && !allowMismatch {
            throw failure(
                "unfit to compare: \(debug.map { "\($0.0) is a \($0.1) build" }.joined(separator: "; ")) "
                    + "(--allow-mismatch to compare anyway)", ExitCode(Gate.Outcome.unfit.rawValue))
        }
        for failed in outcome.failed {
            note("not compared, unverified: \(failed)")
        }
        for shortfall in outcome.pageShortfalls(
            sizes: configuration.sizes, pages: pages.pages, policy: Environment.transparentHugePagePolicy())
        {
            note(shortfall)
        }
        for shortfall in outcome.placementShortfalls(placements: pages.placements) {
            note(shortfall)
        }
        if !baselineEnvironment.isEmpty || !headEnvironment.isEmpty || outcome.baseVariants != outcome.headVariants {
            for (side, environment, variants) in [
                ("base", baselineEnvironment, outcome.baseVariants), ("head", headEnvironment, outcome.headVariants)
            ] {
                let assignments = environment.isEmpty ? "" : " with \(environment.map(\.description).joined(separator: " "))"
                note("\(side)\(assignments): \(variants?.description ?? "its kernel variants not reported (an older build)")")
            }
        }
        let comparison = RunComparison.comparePaired(
            outcome.cases, added: outcome.added, removed: outcome.removed,
            thresholds: thresholds)
        if outcome.interrupted {
            // What the finished rounds show, without a verdict's exit code or a noise floor.
            try emit(try Gate.render(comparison, format: options.format))
            throw failure(
                "interrupted after \(outcome.rounds) of \(rounds) rounds; the comparison above holds those",
                ExitCode(Interruption.exitStatus ?? 130))
        }
        if calibrate {
            let floor = NoiseFloor(calibration: comparison, rounds: rounds, pages: pages.pages, placements: pages.placements)
            do {
                try AtomicFile.write(try floor.encoded(), to: noise)
            } catch {
                throw failure("\(error)", ExitStatus.cannotCreate)
            }
            try emit(try Gate.render(comparison, format: options.format))
            try emit(
                "Noise floor of \(floor.cases.count) cases recorded in \(noise)"
                    + (floor.worst.map { "; worst ±\(String(format: "%.1f", 100 * $0.level))% (\($0.id))" } ?? "") + ".\n")
            return
        }
        if let below = try noiseFloor()?.firstThresholdBelowFloor(in: comparison) {
            throw failure(
                String(
                    format: "threshold %.1f%% for %@ is below its noise floor ±%.1f%% (from gate --calibrate, %@); "
                        + "raise it with --threshold-for or gate on a quieter machine", 100 * below.threshold, below.id, 100 * below.level,
                    noise),
                ExitStatus.usage)
        }
        try finish([comparison], nothingToCompare: "the two builds share no timed case")
    }

    /// Prints the comparisons and exits by their outcome; 65, printing nothing, when a metric compared no case.
    func finish(_ comparisons: [RunComparison], nothingToCompare: String) throws {
        // Before anything is rendered: an empty table's "Gate: pass" would contradict the error.
        if comparisons.contains(where: \.cases.isEmpty) {
            throw failure(nothingToCompare, ExitStatus.dataError)
        }
        let outcome = Gate.outcome(of: comparisons)
        try emit(try Gate.render(comparisons, format: options.format, outcome: outcome))
        if outcome != .pass {
            throw ExitCode(outcome.rawValue)
        }
    }
}

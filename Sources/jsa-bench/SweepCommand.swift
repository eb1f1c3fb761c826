import Analysis
import ArgumentParser
import BenchModel
import Foundation
import JSA
import Measurement
import Reporting
import Results
import Sweep
import SystemIO

/// `jsa-bench sweep`: every variant across the cache levels, verified, interleaved, summarized.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Time every kernel variant across input sizes from L1-resident to DRAM-sized.",
        discussion: """
            Per size: verifies every case bit for bit against scalar, then samples all cases \
            round-robin (alternating order) with calibrated iteration counts, and reports median, MAD, \
            bootstrap CI, CV and outliers, GB/s, the fraction of memcpy and STREAM add over the same \
            elements, speed-up over scalar, and the allocating-versus-direct-write overhead with page \
            faults. Results JSON is written atomically after every size; Ctrl-C stops and keeps what \
            was measured (complete: false, exit 130).

            Exit codes: 0 ok; 1 a case failed verification; 64 usage; 69 a kernel named explicitly \
            cannot run here, or --counters callgrind/cachesim without valgrind; 71 a size without \
            samples, for which no measuring process could run (results kept), or no copy of this \
            program for them to run from could be made; 73 the output cannot be written (a run \
            whose last write fails goes to a file in the temporary folder, which the error names); 78 \
            malformed JSA_DISABLE_CPU_FEATURES or JSA_BENCH_WORKER_TIMEOUT; 130 interrupted (results kept).
            """
    )

    @Option(
        help:
            "Sizes and samples: quick (~10 s), default (~60 s on an L3 of up to 32 MiB; its sizes follow the caches, and so does its time), full."
    )
    var preset: SweepPreset = .default

    // Numbers are read even when they look like a flag (`--sizes -5`), so that the value's
    // problem is what the error names.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Explicit input lengths, comma-separated: 1000, 1_000 or 1e3 (overrides the preset's).",
            valueName: "list"), transform: ListArguments.sizes)
    var sizes: [Int]?

    @Option(
        help: ArgumentHelp(
            "Kernels of the native cases, comma-separated (default: every supported one, and auto).",
            valueName: "list"), transform: ListArguments.kernels)
    var kernels: [Kernel]?

    @Option(parsing: .unconditional, help: "JSA period of the native cases.")
    var period: Int = defaultPeriod

    @Option(parsing: .unconditional, help: "Samples per case (default: the preset's).")
    var samples: Int?

    @Option(
        parsing: .unconditional,
        help: "Minimum duration of one sample, ms (also at least 1000 × the clock resolution; default: the preset's).")
    var minSampleMs: Double?

    @Option(
        parsing: .unconditional,
        help:
            "Measuring processes per size: its rounds are spread over this many fresh processes, each counting the --counters/--events around its own samples (default: the preset's)."
    )
    var processes: Int?

    @OptionGroup var epochs: EpochsOption

    @OptionGroup var fastLevelWait: FastLevelWaitOption

    @OptionGroup var runLevel: RunLevelOption

    @Flag(help: "Evict the caches before each sample and time single calls (default: warm).")
    var cold = false

    @OptionGroup var pages: PagesOption

    @Option(help: "Seed of the input data and of the bootstrap.")
    var seed: UInt64 = 42

    /// Where results go when `--out` is not given; its folder is created if missing.
    static let defaultOutput = "Reports/latest/results.json"

    @Option(
        name: [.customLong("out"), .customLong("output")], help: ArgumentHelp("Results JSON path (written atomically).", valueName: "file"))
    var out: String = SweepCommand.defaultOutput

    @Option(
        help: ArgumentHelp(
            "Counter groups, comma-separated: core, cache, branch, vector (PAPI); callgrind (instructions per call "
                + "under valgrind, which runs this binary) or cachesim (the same with valgrind's cache and branch simulation).",
            valueName: "groups"), transform: ListArguments.counters)
    var counters = CounterSelection()

    @Option(
        help: ArgumentHelp(
            "(cachesim) Simulated caches: 'portable' (32K 8-way I1 and D1, 8M 16-way LL), or LEVEL=SIZE,WAYS,LINE "
                + "with LEVEL I1, D1 or LL (e.g. 'LL=8M,16,64'), repeatable; unset levels are valgrind's reading of this CPU.",
            valueName: "caches"), transform: ListArguments.simulatedCaches)
    var simulatedCache: [[SimulatedCacheGeometry.Level: SimulatedCache]] = []

    @Option(
        help: ArgumentHelp(
            "Hardware events by PAPI name, comma-separated (unknown names are errors; see `jsa-bench env`).",
            valueName: "names"), transform: ListArguments.events)
    var events: [String] = []

    @Flag(help: "Skip the Python FFI ladder (run by default in the embedded interpreter).")
    var noPython = false

    @Flag(help: "Do not write REPORT.md and its charts beside the results JSON.")
    var noReport = false

    @Flag(help: "No progress bar or diagnostics on stderr.")
    var quiet = false

    @OptionGroup var budgets: BudgetsOption

    mutating func validate() throws {
        if !simulatedCache.isEmpty && !counters.cacheSimulation {
            throw ValidationError("--simulated-cache goes with --counters cachesim")
        }
        if counters.callgrind && Callgrind.valgrindPath() == nil {
            throw failure(
                "--counters \(counters.cacheSimulation ? "cachesim" : "callgrind") needs valgrind, which is not installed "
                    + "(apt-get install valgrind)", ExitStatus.unavailable)
        }
        if let unknown = PAPICounterSource.firstUnknown(events) {
            throw ValidationError("--events: \(unknown)")
        }
        let configuration = try sweepConfiguration()
        try SweepCommand.check(configuration)
        _ = try budgets.load()
        try SweepCommand.prepareOutput(out, isDefault: out == SweepCommand.defaultOutput)
    }

    func run() throws {
        try SweepCommand.execute(try sweepConfiguration(), out: out, quiet: quiet, report: !noReport, budgets: try budgets.load())
    }

    /// Runs `configuration`, prints the summary, writes `out`, and maps the outcome to an exit code
    /// (shared with `jsa-bench python`).
    static func execute(
        _ configuration: SweepConfiguration, out: String, quiet: Bool, report: Bool,
        budgets: [Budget] = []
    ) throws {
        Interruption.install()
        if let refused = configuration.pages.prepareMeasuringProcesses(), !quiet {
            note("warning: \(refused)")
        }
        let progress = ProgressBar(enabled: !quiet)
        // The workers run from a copy at a path of fixed length, so that where the heap puts the
        // allocating cases' outputs does not follow where this build lies (LaunchCopies).
        var configuration = configuration
        var workerCopy: LaunchCopies?
        if let executable = configuration.workerExecutable, !configuration.measuresInThisProcess {
            do {
                let copy = try LaunchCopies([("run", executable)])
                configuration.workerLaunchPath = copy.paths[0]
                workerCopy = copy
            } catch {
                throw failure(error.description, ExitStatus.osError)  // no measuring process can run
            }
        }
        defer { withExtendedLifetime(workerCopy) {} }  // the copy outlives every worker
        let runner = SweepRunner(configuration: configuration, commandLine: CommandLine.arguments, outputPath: out)
        let document: ResultsDocument
        var unwritten: ResultsNotWritten?
        do {
            document = try runner.run(
                observer: SweepObserver(
                    progress: { index, count, n, fraction in progress.update(index: index, count: count, n: n, fraction: fraction) },
                    diagnostic: { diagnostic in
                        guard !quiet, diagnostic.severity != .info else { return }
                        progress.clear()
                        note("\(diagnostic.severity.rawValue): \(diagnostic.message)")
                    }))
        } catch let error as ResultsNotWritten {
            document = error.document
            unwritten = error
        } catch {
            throw failure("\(error)", ExitStatus.cannotCreate)
        }
        progress.clear()
        let verdicts = BudgetEvaluation.evaluate(budgets, on: document)
        if let unwritten {
            // Nothing measured is lost: the results go to a file of their own in the temporary
            // folder, and the summary is printed as ever. A stopped run still exits as stopped.
            let rescue = Self.rescue(document)
            try? StandardStreams.writeOutput(TerminalSummary.render(document, budgets: verdicts) + "\n")
            throw failure(
                "\(unwritten); \(rescue)",
                document.complete ? ExitStatus.cannotCreate : Interruption.exitStatus.map { ExitCode($0) } ?? ExitStatus.interrupted)
        }
        // The results are on disk; the report goes next to them before anything is printed, so a
        // failing standard output loses nothing.
        var written = out
        if report {
            do {
                written +=
                    " and "
                    + (try ReportWriter.write(
                        document, to: URL(fileURLWithPath: out).deletingLastPathComponent().path, source: out, budgets: verdicts))
            } catch {
                throw failure("the results are in \(out), but the report could not be written: \(error)", ExitStatus.cannotCreate)
            }
        }
        do {
            try StandardStreams.writeOutput(TerminalSummary.render(document, budgets: verdicts) + "\n")
        } catch {
            throw failure("\(error) (the results are in \(written))", ExitStatus.ioError)
        }
        if !quiet {
            note("results written to \(written)")
        }
        if !document.complete {
            throw Interruption.exitStatus.map { ExitCode($0) } ?? ExitStatus.interrupted
        }
        if document.cases.contains(where: { !$0.verified }) {
            throw ExitStatus.verificationFailed
        }
        let unmeasured = document.unmeasuredSizes
        if !unmeasured.isEmpty {
            throw failure(
                "no samples at n = \(unmeasured.map(String.init).joined(separator: ", ")): no measuring process ran "
                    + "(the failures are above); what was measured is in \(written)", ExitStatus.osError)
        }
    }

    /// Writes `document` to a new file in the temporary folder, and says where (or why not).
    static func rescue(_ document: ResultsDocument) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("jsa-bench-results-\(getpid())-\(UUID().uuidString.prefix(8)).json").path
        do {
            try ResultsFile.write(document, to: path)
            return "the results are in \(path) instead (`jsa-bench report \(path)` writes their report)"
        } catch {
            return "nor could they go to the temporary folder (\(error)): the summary above is what the run measured"
        }
    }

    /// The sweep this command line asks for.
    func sweepConfiguration() throws -> SweepConfiguration {
        let cpu: CPUFeatures
        do {
            cpu = try CPUFeatures.current()
        } catch {
            throw failure(error.description, ExitStatus.config)
        }
        let this = RunningExecutable.path
        var configuration = SweepConfiguration(
            sizes: sizes ?? preset.sizes(for: CacheTopology.read()), kernels: kernels ?? SweepConfiguration.defaultKernels(on: cpu),
            period: period, samples: samples ?? preset.samples, minimumSampleMs: minSampleMs ?? preset.minimumSampleMs, cold: cold,
            seed: seed,
            maximumBatchOutputBytes: preset.maximumBatchOutputBytes, caseBudgetSeconds: preset.caseBudgetSeconds,
            preset: sizes == nil ? preset : nil)
        configuration.python = noPython ? .off : .alongside
        configuration.processes = processes ?? preset.processes
        configuration.ladderHelpersPerPass = preset.ladderHelpersPerPass
        configuration.epochsPerSample = epochs.epochs
        configuration.pages = pages.pages
        configuration.placements = pages.placements
        configuration.fastLevelWait = fastLevelWait.wait(preset: preset)
        configuration.runLevel = try runLevel.load(epochsPerSample: epochs.epochs)
        configuration.workerExecutable = this
        configuration.counterGroups = counters.groups
        configuration.callgrindExecutable = counters.callgrind ? this : nil
        configuration.cacheSimulation = counters.cacheSimulation
        configuration.simulatedCaches = simulatedCache.reduce(into: [:]) { $0.merge($1) { _, new in new } }
        configuration.counterEvents = events
        return configuration
    }

    /// Maps configuration problems to their exit codes: an unsupported kernel is 69, the rest 64.
    static func check(_ configuration: SweepConfiguration) throws {
        do {
            try configuration.validate()
        } catch let .kernel(error) {
            switch error {
            case .kernelNotSupported: throw failure(error.description, ExitStatus.unavailable)
            case .invalidCPUFeatureList: throw failure(error.description, ExitStatus.config)
            default: throw ValidationError(error.description)
            }
        } catch {
            throw ValidationError(error.description)
        }
        try checkAnswerTimeout()
    }

    /// Refuses a malformed `JSA_BENCH_WORKER_TIMEOUT` (78) before anything starts.
    static func checkAnswerTimeout() throws {
        do {
            _ = try AnswerTimeout.baseSeconds()
        } catch {
            throw failure(error.description, ExitStatus.config)
        }
    }

    /// Creates the folder of a default output, and checks that `out` can be written (73 if not).
    static func prepareOutput(_ out: String, isDefault: Bool, flag: String = "--out") throws {
        if isDefault {
            try? OutputFolder.create(URL(fileURLWithPath: out).deletingLastPathComponent().path)
        }
        do {
            try AtomicFile.checkWritable(out)
        } catch {
            throw failure("\(flag): \(error)", ExitStatus.cannotCreate)
        }
    }
}

extension SweepPreset: ExpressibleByArgument {}

import Analysis
import ArgumentParser
import BenchModel
import Foundation
import Measurement
import Reporting
import Sweep
import SystemIO

/// `jsa-bench reproduce`: R independent sweeps, each its own process tree, compared case by case.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the same sweep R times as separate processes and report how well its numbers and intervals hold.",
        discussion: """
            Arguments after `--` are the sweep's (sizes, kernels, samples, processes, ...); each run is \
            `jsa-bench sweep ARGS --no-python --no-report --quiet --out DIR/run-K.json` (with --python, the \
            sweep's Python ladder is kept). Reports, per case and \
            estimator (median, blocked, normalized), the run-to-run CV and the share of run pairs whose 95% \
            interval held the other run's estimate, and the same for every within-round ratio; and the run \
            level: how far every case of a run sat from the other runs together (their SD over the runs not \
            apart, and which are), which `jsa-bench sweep --run-level DIR/reproducibility.json` adds to its headline \
            intervals as re-run intervals. Writes DIR/reproducibility.json and DIR/REPRODUCIBILITY.md and \
            prints the tables; `jsa-bench report` of a run in DIR shows them in its Trust section.

            Exit codes: 0 ok; 64 usage; 70 a run failed; 73 DIR cannot be written; 130/143 interrupted (the \
            runs finished so far are kept, and compared when there are two or more).
            """)

    @Option(parsing: .unconditional, help: "Independent runs (at least 2).")
    var runs: Int = 8

    @Option(
        name: [.customLong("out"), .customLong("output")],
        help: ArgumentHelp("Folder for the runs' results and the report (created if missing).", valueName: "dir"))
    var out: String = "Reports/reproducibility"

    @Flag(help: "Run nothing: compare the run-K.json files already in --out (after a change to the analysis, say).")
    var existing = false

    @Flag(help: "Keep each run's Python ladder, so that its rungs are compared too (it adds its time to every run).")
    var python = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The sweep's arguments, after `--`.", valueName: "sweep-arguments"))
    var sweepArguments: [String] = []

    /// Flags each run sets itself.
    static let reserved = ["--out", "--output", "--no-python", "--no-report", "--quiet", "--help", "-h"]
    /// The flags of a run that say where and how its output goes, not what it measures: left out
    /// where the runs are described.
    static let outputFlags = ["--out", "--output", "--no-report", "--quiet"]

    /// What each run measures, as the sweep's arguments (`--no-python` unless --python).
    var measuredArguments: [String] { sweepArguments + (python ? [] : ["--no-python"]) }

    func validate() throws {
        guard (2...1000).contains(runs) else { throw ValidationError("--runs must be in 2...1000, got \(runs)") }
        if let flag = sweepArguments.first(where: { argument in Self.reserved.contains { argument == $0 || argument.hasPrefix($0 + "=") } })
        {
            throw ValidationError("the sweep arguments may not contain \(flag): each run sets it")
        }
        let existed = FileManager.default.fileExists(atPath: out)
        do {
            try OutputFolder.create(out)
            try OutputPath.checkWritable(out + "/reproducibility.json")
        } catch {
            throw failure("--out: \(error)", ExitStatus.cannotCreate)
        }
        // Parsed with the first run's output, so that the sweep's own checks of its output look
        // there (without --out a sweep creates its default folder, Reports/latest, wherever it runs);
        // a folder made for runs that cannot start is removed again (rmdir: only while empty).
        do {
            let sweep = try SweepCommand.parse(sweepArguments + ["--out", Self.runPath(out, 1), "--no-report"])
            try SweepCommand.check(try sweep.sweepConfiguration())
        } catch {
            if !existed { rmdir(out) }
            if let exit = error as? ExitCode { throw exit }
            throw ValidationError("sweep arguments: \(SweepCommand.message(for: error))")
        }
    }

    func run() throws {
        Interruption.install()
        let startedAt = RunInfo.timestamp()
        var finished = FinishedRuns()
        var interruption: ExitCode?
        if existing {
            finished = try readExistingRuns()
        } else {
            interruption = try runSweeps(into: &finished)
        }
        let kept = "\(finished.documents.count) of \(runs) runs (kept in \(out))"
        if let interruption, finished.documents.count < 2 {
            throw failure("interrupted after \(kept)", interruption)
        }
        // Existing runs are described by their own command line and times.
        let (first, last) = (finished.documents[0].run, finished.documents[finished.documents.count - 1].run)
        let described = existing ? Self.runCommand(of: first.commandLine) : (command: "sweep", arguments: measuredArguments)
        let report = Reproducibility.report(
            finished.documents, runs: finished.paths, command: described.command, sweepArguments: described.arguments,
            startedAt: existing ? first.startedAt : startedAt,
            endedAt: existing ? last.endedAt ?? last.startedAt : RunInfo.timestamp(), runSeconds: finished.seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            try AtomicFile.write(try encoder.encode(report), to: out + "/reproducibility.json")
            try AtomicFile.write(Data(ReproducibilityTables.render(report, style: .markdown).utf8), to: out + "/REPRODUCIBILITY.md")
        } catch {
            throw failure("\(error)", ExitStatus.cannotCreate)
        }
        try emit(ReproducibilityTables.render(report, style: .terminal))
        if let interruption {
            throw failure("interrupted after \(kept); the report compares those", interruption)
        }
    }

    /// The complete runs being compared: their results, files and wall times (s).
    struct FinishedRuns {
        var documents: [ResultsDocument] = []
        var paths: [String] = []
        var seconds: [Double] = []

        mutating func append(_ document: ResultsDocument, path: String, seconds: Double?) {
            documents.append(document)
            paths.append(path)
            if let seconds { self.seconds.append(seconds) }
        }
    }

    /// The results file of run `index` (1-based) in `folder`.
    static func runPath(_ folder: String, _ index: Int) -> String { folder + "/run-\(index).json" }

    /// Runs the sweeps one after another; returns the exit status of an interruption (the runs
    /// finished before it stay in `finished`), nil when all ran.
    private func runSweeps(into finished: inout FinishedRuns) throws -> ExitCode? {
        let executable = RunningExecutable.path
        for index in 1...runs {
            let path = Self.runPath(out, index)
            let started = Date()
            let arguments = ["sweep"] + measuredArguments + ["--no-report", "--quiet", "--out", path]
            let completion: ChildProcess.Completion
            do {
                completion = try ChildProcess.run(executable, arguments, stoppingWhen: { Interruption.requested })
            } catch {
                if error.kind == .stopped { return ExitCode(Interruption.exitStatus ?? 130) }
                throw failure("run \(index): \(error)", ExitStatus.software)
            }
            guard completion.termination == .exited(0) else {
                let reason = completion.standardError.split(separator: "\n").last.map(String.init) ?? ""
                throw failure("run \(index) \(completion.termination): \(reason)", ExitStatus.software)
            }
            let seconds = Date().timeIntervalSince(started)
            finished.append(try readResults(path), path: path, seconds: seconds)
            note("run \(index) of \(runs) done in \(String(format: "%.1f", seconds)) s")
        }
        return nil
    }

    /// `run-1.json`, `run-2.json`, ... in `out`, up to `runs` or the first missing one, analyzed
    /// afresh; a run that did not complete (interrupted) is left out, with a note.
    private func readExistingRuns() throws -> FinishedRuns {
        var finished = FinishedRuns()
        for index in 1...runs {
            let path = Self.runPath(out, index)
            guard FileManager.default.fileExists(atPath: path) else { break }
            var document = try readResults(path)
            guard document.complete else {
                note("\(path) is incomplete (an interrupted run): left out")
                continue
            }
            Analysis.analyze(&document)
            finished.append(document, path: path, seconds: document.run.wallSeconds)
        }
        guard finished.documents.count >= 2 else {
            throw failure("--existing: fewer than 2 complete run-K.json files in \(out)", ExitStatus.noInput)
        }
        return finished
    }

    /// The subcommands whose results files `--existing` compares (`sweep` is also the default one).
    static let measuringCommands = ["sweep", "python"]

    /// The subcommand and arguments of a run's command line: without the program and the output
    /// flags each run sets itself (`outputFlags`, and `--out`'s value). A command line without a
    /// subcommand ran the default one, `sweep`.
    static func runCommand(of commandLine: [String]) -> (command: String, arguments: [String]) {
        let rest = commandLine.dropFirst()
        let command = rest.first.flatMap { measuringCommands.contains($0) ? $0 : nil }
        var arguments: [String] = []
        var skipValue = false
        for argument in command == nil ? rest : rest.dropFirst() {
            if skipValue {
                skipValue = false
            } else if argument == "--out" || argument == "--output" {
                skipValue = true
            } else if !outputFlags.contains(where: { argument == $0 || argument.hasPrefix($0 + "=") }) {
                arguments.append(argument)
            }
        }
        return (command ?? "sweep", arguments)
    }
}

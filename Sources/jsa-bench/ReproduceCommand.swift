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
            `jsa-bench sweep ARGS --no-python --no-report --quiet --out DIR/run-K.json`. Reports, per case and \
            estimator (median, blocked, normalized), the run-to-run CV and the share of run pairs whose 95% \
            interval held the other run's estimate, and the same for every within-round ratio. Writes \
            DIR/reproducibility.json and DIR/REPRODUCIBILITY.md and prints the tables; `jsa-bench report` of a \
            run in DIR shows them in its Trust section.

            Exit codes: 0 ok; 64 usage; 70 a run failed; 73 DIR cannot be written; 130/143 interrupted (the \
            runs finished so far are kept).
            """)

    @Option(help: "Independent runs (at least 2).")
    var runs: Int = 8

    @Option(
        name: [.customLong("out"), .customLong("output")],
        help: ArgumentHelp("Folder for the runs' results and the report (created if missing).", valueName: "dir"))
    var out: String = "Reports/reproducibility"

    @Flag(help: "Run nothing: compare the run-K.json files already in --out (after a change to the analysis, say).")
    var existing = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The sweep's arguments, after `--`.", valueName: "sweep-arguments"))
    var sweepArguments: [String] = []

    /// Flags each run sets itself.
    static let reserved = ["--out", "--no-python", "--no-report", "--quiet", "--help", "-h"]

    func validate() throws {
        guard (2...1000).contains(runs) else { throw ValidationError("--runs must be in 2...1000, got \(runs)") }
        if let flag = sweepArguments.first(where: { argument in Self.reserved.contains { argument == $0 || argument.hasPrefix($0 + "=") } })
        {
            throw ValidationError("the sweep arguments may not contain \(flag): each run sets it")
        }
        do {
            let sweep = try SweepCommand.parse(sweepArguments)
            try SweepCommand.check(try sweep.sweepConfiguration())
        } catch let error as ExitCode {
            throw error
        } catch {
            throw ValidationError("sweep arguments: \(SweepCommand.message(for: error))")
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try OutputPath.checkWritable(out + "/reproducibility.json")
        } catch {
            throw failure("--out: \(error)", ExitStatus.cannotCreate)
        }
    }

    func run() throws {
        Interruption.install()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let startedAt = SweepRunner.timestamp()
        var documents: [ResultsDocument] = []
        var paths: [String] = []
        var seconds: [Double] = []
        for index in 1...runs where existing {
            let path = out + "/run-\(index).json"
            guard FileManager.default.fileExists(atPath: path) else { break }
            var document = try readResults(path)
            Analysis.analyze(&document)
            documents.append(document)
            paths.append(path)
        }
        if existing && documents.count < 2 {
            throw failure("--existing: fewer than 2 run-K.json files in \(out)", ExitStatus.noInput)
        }
        for index in 1...runs where !existing {
            let path = out + "/run-\(index).json"
            let started = Date()
            let arguments = ["sweep"] + sweepArguments + ["--no-python", "--no-report", "--quiet", "--out", path]
            let completion: ChildProcess.Completion
            do {
                completion = try ChildProcess.run(executable, arguments, stoppingWhen: { Interruption.requested })
            } catch {
                if error.kind == .stopped {
                    throw failure(
                        "interrupted after \(documents.count) of \(runs) runs (kept in \(out))",
                        ExitCode(Interruption.exitStatus ?? 130))
                }
                throw failure("run \(index): \(error)", ExitStatus.software)
            }
            guard completion.termination == .exited(0) else {
                let reason = completion.standardError.split(separator: "\n").last.map(String.init) ?? ""
                throw failure("run \(index) \(completion.termination): \(reason)", ExitStatus.software)
            }
            seconds.append(Date().timeIntervalSince(started))
            documents.append(try readResults(path))
            paths.append(path)
            note("run \(index) of \(runs) done in \(String(format: "%.1f", seconds.last!)) s")
        }
        let arguments = existing ? Array((documents.first?.run.commandLine ?? []).dropFirst(2)) : sweepArguments
        let report = Reproducibility.report(
            documents, runs: paths, sweepArguments: arguments, startedAt: startedAt,
            endedAt: SweepRunner.timestamp(), runSeconds: seconds)
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
    }
}

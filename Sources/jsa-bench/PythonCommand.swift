import ArgumentParser
import Foundation
import JSA
import Sweep
import SystemIO

/// `jsa-bench python`: the FFI overhead ladder alone, beside the native direct-write call it is
/// compared with.
struct PythonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python",
        abstract: "Measure what a Python caller pays on top of the native call: the FFI overhead ladder.",
        discussion: """
            In the embedded CPython (Debian's libpython and NumPy), times, per size: the empty loop; a \
            no-op call with jsa's arguments; argument parsing plus buffer acquisition; NumPy allocation; \
            jsa(x, p, out=o); jsa(x, p); jsa_copy(x, p) (the 'initial' copy-out binding); the NumPy \
            baseline and the naive NumPy expression; and jsa_batch — beside the auto kernel's direct-write \
            call made from C in the same process. Also measures jsaInto(auto) through the Swift API. Reports the overhead over native and where it goes, the size from which it is \
            under 5%, the speed-up over NumPy, and 'initial versus optimized'. Exit codes as for sweep.
            """)

    static let defaultOutput = "Reports/latest/python.json"

    // Numbers are read even when they look like a flag (as in sweep).
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Input lengths, comma-separated (1000, 1_000, 1e3). (default: 1000,10000,100000,1000000)", valueName: "list"),
        transform: ListArguments.sizes)
    var sizes: [Int] = [1_000, 10_000, 100_000, 1_000_000]

    @Option(parsing: .unconditional, help: "JSA period.")
    var period: Int = defaultPeriod

    @Option(parsing: .unconditional, help: "Samples per rung (as a default sweep's ladder).")
    var samples: Int = SweepPreset.default.samples

    @OptionGroup var epochs: EpochsOption

    @OptionGroup var runLevel: RunLevelOption

    @Option(
        parsing: .unconditional,
        help: "Processes the rounds are spread over: the helper is started afresh for each share, as a sweep's measuring processes are.")
    var processes: Int = SweepPreset.default.processes * SweepPreset.default.ladderHelpersPerPass

    @Option(parsing: .unconditional, help: "Minimum duration of one sample, ms (as a default sweep's ladder).")
    var minSampleMs: Double = SweepPreset.default.minimumSampleMs

    @Option(help: "Seed of the input data and of the bootstrap.")
    var seed: UInt64 = 42

    @Option(
        name: [.customLong("out"), .customLong("output")], help: ArgumentHelp("Results JSON path (written atomically).", valueName: "file"))
    var out: String = PythonCommand.defaultOutput

    @Flag(help: "No progress bar or diagnostics on stderr.")
    var quiet = false

    mutating func validate() throws {
        try SweepCommand.check(ladderConfiguration())
        try SweepCommand.prepareOutput(out, isDefault: out == PythonCommand.defaultOutput)
    }

    func run() throws {
        try SweepCommand.execute(ladderConfiguration(), out: out, quiet: quiet, report: false)
    }

    func ladderConfiguration() throws -> SweepConfiguration {
        var configuration = SweepConfiguration(
            sizes: sizes, kernels: [.auto], period: period, samples: samples, minimumSampleMs: minSampleMs, seed: seed)
        configuration.python = .only
        configuration.processes = processes
        configuration.epochsPerSample = epochs.epochs
        configuration.runLevel = try runLevel.load(epochsPerSample: epochs.epochs)
        configuration.workerExecutable = RunningExecutable.path
        return configuration
    }
}

import ArgumentParser
import BenchModel
import JSA
import Measurement

/// `--run-level FILE`: the host's run-level spread, from a `jsa-bench reproduce` of this machine
/// class, which the run adds to its headline intervals as re-run intervals (`RunLevelSpread`).
struct RunLevelOption: ParsableArguments {
    @Option(
        name: .customLong("run-level"),
        help: ArgumentHelp(
            "A reproducibility.json from `jsa-bench reproduce` on this machine class: its runs' spread of whole-run "
                + "levels is added to each headline interval as the re-run interval, where a re-run's estimate is expected.",
            valueName: "file"))
    var path: String?

    /// The spread of `--run-level` for a run of `epochsPerSample` here, nil without the flag. A
    /// missing file exits 66; one that is not a reproducibility report, that has no run level (a
    /// report from before it was measured) or that measured another machine class or timed samples
    /// differently exits 65, naming the field.
    func load(epochsPerSample: Int) throws -> RunLevelSpread? {
        guard let path else { return nil }
        guard var spread = try readReproducibility(path).runLevel else {
            throw failure("--run-level \(path): has no run_level (written by a reproduce before it was measured)", ExitStatus.dataError)
        }
        let environment = (try? CPUFeatures.current()).map { Environment.capture(kernelFeatures: $0) } ?? Environment.capture()
        let problems = spread.unfitness(machine: MachineClass(environment), epochsPerSample: epochsPerSample)
        guard problems.isEmpty else {
            throw failure("--run-level \(path): measured elsewhere: \(problems.joined(separator: "; "))", ExitStatus.dataError)
        }
        spread.source = path
        return spread
    }
}

import ArgumentParser
import Measurement
import Sweep

/// `--epochs N`: how many consecutive stretches a sample's calls are timed in; the sample is the
/// median stretch's ns per call (`SamplingPlan.epochsPerSample`).
struct EpochsOption: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Epochs per sample: its calls are timed in this many stretches and the sample is the median one's ns "
                + "per call, so a pause of the vCPU that hits a minority of them is left out (the wall time is kept "
                + "beside it); 1 times whole samples, as builds before epochs did.",
            valueName: "n"))
    var epochs: Int = SamplingPlan.defaultEpochs

    func validate() throws {
        guard (1...SweepConfiguration.maximumEpochs).contains(epochs) else {
            throw ValidationError(SweepConfiguration.Problem.epochsOutOfRange(epochs).description)
        }
    }
}

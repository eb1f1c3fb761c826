import ArgumentParser
import Measurement
import Sweep

/// `--stack-span BYTES`: how far down the stack each round's samples may run
/// (`StackPlacement`, `SweepConfiguration.stackSpanBytes`).
struct StackSpanOption: ParsableArguments {
    @Option(
        name: .customLong("stack-span"), parsing: .unconditional,
        help: ArgumentHelp(
            "Each round's samples run from a frame moved down the stack by a seeded multiple of "
                + "\(StackPlacement.stepBytes) bytes below this, so that a process's numbers mix the depths of the measured "
                + "call's frames (where the stack lies against the buffers' page offsets moved an L1-sized call by up to 18%). "
                + "0 samples where the process calls them.",
            valueName: "bytes"))
    var spanBytes: Int = StackPlacement.defaultSpanBytes

    func validate() throws {
        guard StackPlacement.isValid(spanBytes: spanBytes) else {
            throw ValidationError(SweepConfiguration.Problem.stackSpanOutOfRange(spanBytes).description)
        }
    }
}

import ArgumentParser
import BenchModel

extension PageSize: ExpressibleByArgument {}

/// `--pages base|huge`: the pages the measured buffers are mapped on (`PageSize`).
struct PagesOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Pages of the measured buffers: base (4 KiB, whatever the system's transparent-huge-page policy) or huge "
                + "(2 MiB transparent huge pages, as NumPy advises for its arrays of 4 MiB and more; the run warns where "
                + "the kernel granted fewer).",
            valueName: "base|huge"))
    var pages: PageSize = .base
}

import ArgumentParser
import BenchModel
import Sweep

extension PageSize: ExpressibleByArgument {}

/// `--pages base|huge` and `--placements N`: the pages the measured buffers are mapped on
/// (`PageSize`), and how many draws of them each measuring process moves through
/// (`SweepConfiguration.placements`).
struct PagesOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Pages of the measured buffers: base (4 KiB, whatever the system's transparent-huge-page policy) or huge "
                + "(2 MiB transparent huge pages, as NumPy advises for its arrays of 4 MiB and more; the run warns where "
                + "the kernel granted fewer).",
            valueName: "base|huge"))
    var pages: PageSize = .base

    @Option(
        name: .customLong("placements"),
        help: ArgumentHelp(
            "Copies of each size's buffers per measuring process, each on physical pages of its own, the next moved to "
                + "the buffers' addresses before every round (and every sample the gate asks for), so that a process's numbers mix that many draws of pages "
                + "(which, near the L2's capacity, move a copy by up to 1.7x). 1 measures on one draw. Default: "
                + "\(SweepConfiguration.defaultPlacements(on: .base)) on base pages (sizes whose buffers map up to "
                + "\(SweepConfiguration.maximumPlacedBytes >> 20) MiB; larger ones keep one), 1 on huge pages, where a buffer's frames are contiguous.",
            valueName: "N"))
    var placementsAsked: Int?

    /// The placements asked for, or the default for `pages`.
    var placements: Int { placementsAsked ?? SweepConfiguration.defaultPlacements(on: pages) }

    func validate() throws {
        do {
            try SweepConfiguration.check(placements: placements, on: pages)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

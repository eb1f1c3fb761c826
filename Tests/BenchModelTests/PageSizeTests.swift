import BenchModel
import Testing

/// What a size's measuring processes report about their buffers' pages, against what was asked.
struct PageSizeTests {
    static let whole = PageBacking(bytes: 1 << 23, hugeBytes: 1 << 23)
    static let none = PageBacking(bytes: 1 << 23, hugeBytes: 0)
    static let threeQuarters = PageBacking(bytes: 1 << 23, hugeBytes: 3 << 21)

    @Test func aBackingMatchesOnlyWhatItHolds() {
        #expect(Self.whole.matches(.huge) && !Self.whole.matches(.base))
        #expect(Self.none.matches(.base) && !Self.none.matches(.huge))
        #expect(!Self.threeQuarters.matches(.huge) && !Self.threeQuarters.matches(.base))
        #expect(Self.threeQuarters.hugeShare == 0.75 && PageBacking(bytes: 0, hugeBytes: 0).hugeShare == 0)
    }

    @Test func processesPagedAsAskedSayNothing() {
        #expect(PageSize.huge.shortfall(of: [Self.whole, Self.whole], policy: "madvise") == nil)
        #expect(PageSize.base.shortfall(of: [Self.none], policy: "always") == nil)
        #expect(PageSize.huge.shortfall(of: [], policy: "madvise") == nil)
    }

    @Test func processesShortOfTheirPagesAreCountedWithTheirShares() {
        #expect(
            PageSize.huge.shortfall(of: [Self.whole, Self.threeQuarters, Self.none], policy: "madvise")
                == "huge pages asked for, but 2 of 3 measuring processes had 0.0%–75.0% of their buffers' bytes in huge pages "
                + "(transparent huge pages: madvise)")
        #expect(
            PageSize.base.shortfall(of: [Self.threeQuarters], policy: nil)
                == "4 KiB pages asked for, but 1 of 1 measuring processes had 75.0% of their buffers' bytes in huge pages "
                + "(transparent huge pages: policy unknown)")
    }

    /// A process that did not say (an older build's worker) maps as the system's policy decides:
    /// 4 KiB pages under `madvise` or `never`, so only a request for huge pages, or the `always`
    /// policy, makes it a shortfall.
    @Test func processesThatDidNotSayCountWhereThePolicyWouldNotGiveWhatWasAsked() {
        #expect(PageSize.base.shortfall(of: [nil, Self.none], policy: "madvise") == nil)
        #expect(PageSize.base.shortfall(of: [nil, Self.none], policy: "always")?.contains("1 of 2 measuring processes did not say") == true)
        #expect(
            PageSize.huge.shortfall(of: [nil, nil], policy: "madvise")
                == "huge pages asked for, but 2 of 2 measuring processes did not say how their buffers were paged (a build "
                + "before --pages maps them as the system's policy decides) (transparent huge pages: madvise)")
    }
}

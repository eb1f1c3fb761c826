import BenchModel
import JSA
import Measurement
import Testing
@testable import Sweep

@Suite struct SizeListTests {
    @Test func acceptsTheFormsUsersType() throws {
        #expect(try SizeList.parse("1e3,4096,1_000_000,2.5e5") == [1000, 4096, 1_000_000, 250_000])
        #expect(try SizeList.parse(" 1000 , 1e3 ,10") == [1000, 10])
        #expect(try SizeList.parse("1E6") == [1_000_000])
    }

    @Test(arguments: [
        ("0", "sizes must be positive"), ("-5", "sizes must be positive"), ("1.5", "not a whole number of elements"),
        ("abc", "not a number (use forms like 1000, 1_000 or 1e3)"), ("", "empty"), ("1__0", "underscores go between digits"),
        ("_1", "underscores go between digits"), ("1e400", "not a number (use forms like 1000, 1_000 or 1e3)"),
        ("0x10", "not a number (use forms like 1000, 1_000 or 1e3)"), ("nan", "not a number (use forms like 1000, 1_000 or 1e3)")
    ])
    func rejectsBadSizesWithAReason(text: String, reason: String) {
        #expect(throws: SizeList.ParseError(text: text, reason: reason)) { try SizeList.parse(text) }
    }

    @Test func emptyItemsInAListAreErrors() {
        #expect(throws: SizeList.ParseError.self) { try SizeList.parse("1000,,2000") }
    }
}

@Suite struct PresetTests {
    let caches = CacheTopology(l1dBytes: 32 << 10, l2Bytes: 1 << 20, l3Bytes: 32 << 20)

    @Test func presetsCoverTheLevels() {
        let levels = { (sizes: [Int]) in Set(sizes.map { self.caches.level(ofWorkingSet: 16 * $0) }) }
        let quick = SweepPreset.quick.sizes(for: caches)
        #expect(quick.contains(1000) && quick.count <= 5)
        #expect(levels(quick) == [.l1, .l2, .l3])
        #expect(levels(SweepPreset.default.sizes(for: caches)) == Set(CacheTopology.Level.allCases))
        #expect(levels(SweepPreset.full.sizes(for: caches)) == Set(CacheTopology.Level.allCases))
        #expect(SweepPreset.full.sizes(for: caches).count > SweepPreset.default.sizes(for: caches).count)
        for preset in SweepPreset.allCases {
            let sizes = preset.sizes(for: caches)
            #expect(sizes == sizes.sorted() && Set(sizes).count == sizes.count)
        }
    }

    /// On a large L3 the quick preset's L3 size stops at 16 MiB of working set, still in L3.
    @Test func quickKeepsItsL3SizeSmallOnALargeL3() {
        let large = CacheTopology(l1dBytes: 48 << 10, l2Bytes: 2 << 20, l3Bytes: 105 << 20)
        let quick = SweepPreset.quick.sizes(for: large)
        #expect(quick.last == (16 << 20) / 16)
        #expect(large.level(ofWorkingSet: 16 * quick.last!) == .l3)
        #expect(SweepPreset.quick.sizes(for: caches).last == (16 << 20) / 16)  // half of a 32 MiB L3, as before
        #expect(SweepPreset.default.sizes(for: large).contains((105 << 20) / 32))  // the default keeps ½ L3
    }
}

@Suite struct ConfigurationValidationTests {
    func configuration(
        sizes: [Int] = [1000], kernels: [Kernel] = [.scalar], period: Int = 30, samples: Int = 5,
        minimumSampleMs: Double = 1
    ) -> SweepConfiguration {
        SweepConfiguration(sizes: sizes, kernels: kernels, period: period, samples: samples, minimumSampleMs: minimumSampleMs)
    }

    /// Workers measure every size, one process or several, hardware counters or not (each worker
    /// counts around its own samples); only without a worker to start does this process measure.
    @Test func theSweepMeasuresInThisProcessOnlyWithoutAWorker() {
        var sweep = configuration()
        #expect(sweep.measuresInThisProcess && sweep.effectiveProcesses == 1)
        sweep.workerExecutable = "/path/to/jsa-bench"
        sweep.processes = 1
        #expect(!sweep.measuresInThisProcess && sweep.effectiveProcesses == 1)
        sweep.processes = 3
        #expect(!sweep.measuresInThisProcess && sweep.effectiveProcesses == 3)
        sweep.counterGroups = [.core]
        sweep.counterEvents = ["PAPI_TOT_INS"]
        #expect(!sweep.measuresInThisProcess && sweep.effectiveProcesses == 3)
    }

    @Test func validConfigurationPasses() throws {
        try configuration(sizes: [10, 1000]).validate()  // 10 < period: skipped later, not an error
    }

    @Test func problemsAreFoundBeforeMeasuring() {
        #expect(throws: SweepConfiguration.Problem.noSizes) { try configuration(sizes: []).validate() }
        #expect(throws: SweepConfiguration.Problem.nonPositiveSize(0)) { try configuration(sizes: [100, 0]).validate() }
        #expect(throws: SweepConfiguration.Problem.periodTooLong(period: 2000, largestSize: 1000)) {
            try configuration(period: 2000).validate()
        }
        #expect(throws: SweepConfiguration.Problem.nonPositivePeriod(0)) {
            try configuration(period: 0).validate()
        }
        #expect(throws: SweepConfiguration.Problem.nonPositiveSamples(0)) { try configuration(samples: 0).validate() }
        #expect(throws: SweepConfiguration.Problem.nonPositiveSampleTime(0)) { try configuration(minimumSampleMs: 0).validate() }
    }

    /// `--placements`: 1...32, more than one only on 4 KiB pages; 8 there unless told, 1 on huge ones.
    @Test func placementsAreCheckedAgainstThePages() throws {
        var sweep = configuration(sizes: [1000])
        sweep.placements = 8
        try sweep.validate()
        sweep.placements = 0
        #expect(throws: SweepConfiguration.Problem.placementsOutOfRange(0)) { try sweep.validate() }
        sweep.placements = SweepConfiguration.maximumPlacements + 1
        #expect(throws: SweepConfiguration.Problem.placementsOutOfRange(33)) { try sweep.validate() }
        sweep.pages = .huge
        sweep.placements = 2
        #expect(throws: SweepConfiguration.Problem.placementsOnHugePages(2)) { try sweep.validate() }
        #expect(SweepConfiguration.Problem.placementsOnHugePages(2).description.hasPrefix("--placements 2 needs --pages base"))
        sweep.placements = 1
        try sweep.validate()
        #expect(SweepConfiguration.defaultPlacements(on: .base) == 8 && SweepConfiguration.defaultPlacements(on: .huge) == 1)
    }

    /// A measuring process of size n holds its five buffers of n doubles (a page each) once per
    /// placement, the batch output where the batch runs, the scalar reference and a copy beside it,
    /// and in cold mode the buffer that evicts the caches: 56 bytes per element at large n, as a
    /// worker's peak resident set measured (`MeasuringMemory`).
    @Test func aProcessPeakCountsEverythingItHoldsAtOnce() throws {
        let caches = CacheTopology(l1dBytes: 48 << 10, l2Bytes: 2 << 20, l3Bytes: 32 << 20)
        var sweep = SweepConfiguration(
            sizes: [100_000_000], kernels: [.scalar], samples: 1, minimumSampleMs: 1, maximumBatchOutputBytes: 1 << 28)
        let large = 100_000_000
        #expect(sweep.peakBytes(n: large, caches: caches) == 56 * large + 5 * 4096)  // no batch: its rows exceed 256 MiB
        #expect(SweepConfiguration.bytesPerElement == 56)
        let small = 100_000
        let batch = sweep.batchPeriods.count * 8 * small
        let buffers = 5 * (8 * small + 4096) + batch
        #expect(sweep.bufferBytes(n: small) == buffers)
        sweep.placements = 8
        #expect(sweep.peakBytes(n: small, caches: caches) == 8 * buffers + 16 * small)
        #expect(sweep.peakBytes(n: large, caches: caches) == 56 * large + 5 * 4096)  // one placement beyond 64 MiB
        sweep.cold = true
        #expect(sweep.peakBytes(n: large, caches: caches) == 56 * large + 5 * 4096 + 64 << 20)
        #expect(sweep.peakBytes(n: Int.max / 4, caches: caches) == nil)
    }

    /// A size whose process would hold more than the machine's memory is refused before the run,
    /// also where its buffers alone (40 of its 56 bytes per element) would fit.
    @Test func aSizeBeyondTheMachinesMemoryIsRefused() throws {
        let memory = try #require(SystemMemory.physicalBytes)
        let n = memory / 48
        let sweep = configuration(sizes: [1000, n])
        let problem = #expect(throws: SweepConfiguration.Problem.self) { try sweep.validate() }
        guard case .sizeTooLarge(n, let bytes?, memory) = problem else {
            Issue.record("not refused for its memory: \(String(describing: problem))")
            return
        }
        #expect(bytes > memory && bytes - 16 * n < memory)
        #expect(problem?.description.hasPrefix("size \(n) needs \(Format.bytes(bytes)) in a measuring process (five buffers") == true)
    }

    @Test func messagesNameTheProblem() {
        #expect(
            SweepConfiguration.Problem.periodTooLong(period: 2000, largestSize: 1000).description
                == "period 2000 does not fit any size (largest is 1000); use a smaller --period or larger --sizes")
        #expect(SweepConfiguration.Problem.nonPositivePeriod(-3).description == "--period must be at least 1, got -3")
    }
}

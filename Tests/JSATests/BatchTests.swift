import Testing
@testable import JSA

@Suite struct PeriodRangeTests {
    @Test(arguments: [
        (10, 40, 1, Array(10...40)),
        (3, 50, 7, [3, 10, 17, 24, 31, 38, 45]),
        (40, 10, 10, [40, 30, 20, 10]),
        (50, 1, 7, [50, 43, 36, 29, 22, 15, 8, 1]),
        (10, 40, 0, [10]),
        (30, 30, 5, [30]),
        (5, 7, 100, [5]),
        (7, 5, 100, [7]),
        (0, 2, 1, [0, 1, 2])
    ])
    func expandsTheGrid(start: Int, end: Int, step: Int, expected: [Int]) throws {
        let range = try PeriodRange(start: start, end: end, step: step)
        #expect(Array(range) == expected)
        #expect(range.count == expected.count)
        #expect(range.minimum == expected.min() && range.maximum == expected.max())
    }

    @Test(arguments: [(-1, 5, 1), (5, -1, 1), (1, 5, -1), (5, 1, -2)])
    func rejectsNegativeBoundsAndSteps(start: Int, end: Int, step: Int) {
        #expect(throws: JSAError.invalidPeriodRange(start: start, end: end, step: step)) {
            try PeriodRange(start: start, end: end, step: step)
        }
    }

    @Test func rangeMessageCarriesTheNumbers() {
        #expect(
            JSAError.invalidPeriodRange(start: 1, end: 5, step: -1).description.hasPrefix(
                "invalid period range start=1 end=5 step=-1"))
    }

    @Test func hugeRangesAreCountedNotStored() throws {
        let range = try PeriodRange(start: 1, end: Int.max, step: 1)
        #expect(range.count == Int.max)
        #expect(range.maximum == Int.max)
    }
}

@Suite struct BatchTests {
    let data: [Double] = [.nan, .nan, .nan] + (0..<500).map { (Double($0) * 0.37).truncatingRemainder(dividingBy: 11) - 5 }

    @Test(arguments: [(1, 40, 1), (40, 10, 3), (30, 30, 0)], [false, true])
    func rowsEqualSingleSeriesCalls(grid: (Int, Int, Int), parallel: Bool) throws {
        let periods = try PeriodRange(start: grid.0, end: grid.1, step: grid.2)
        for kernel in Kernel.allCases where CPUFeaturesOnThisMachine.supports(kernel) {
            let batch = try jsaBatch(data, periods: periods, kernel: kernel, parallel: parallel)
            #expect(batch.periods == Array(periods))
            #expect(batch.rows == periods.count && batch.length == data.count)
            #expect(batch.values.count == periods.count * data.count)
            for (r, period) in batch.periods.enumerated() {
                let single = try jsa(data, period: period, kernel: .scalar)
                #expect(batch.row(r).map(\.bitPattern) == single.map(\.bitPattern), "kernel \(kernel) row \(r) p=\(period)")
            }
        }
    }

    /// `parallel` spreads the rows over threads only where the whole output is at least
    /// `parallelMinimumBytes`; a smaller batch, or one row, runs on the calling thread.
    @Test func onlyBatchesOfAMebibyteOrMoreRunInParallel() {
        let rows = 31
        let shortestParallel = (JSABatch.parallelMinimumBytes + rows * 8 - 1) / (rows * 8)
        #expect(!JSABatch.runsInParallel(rows: rows, length: shortestParallel - 1))
        #expect(JSABatch.runsInParallel(rows: rows, length: shortestParallel))
        #expect(!JSABatch.runsInParallel(rows: 1, length: 1 << 20))
        #expect(JSABatch.runsInParallel(rows: 2, length: Int.max))
    }

    /// Rows computed on several threads equal the same batch computed on one, bit for bit, for
    /// every kernel (a batch large enough to run in parallel).
    @Test func aParallelBatchEqualsTheSerialOne() throws {
        let periods = try PeriodRange(start: 10, end: 40, step: 1)
        let length = 2 * JSABatch.parallelMinimumBytes / (periods.count * MemoryLayout<Double>.stride)
        let x = [.nan] + (1..<length).map { Double(($0 * 7919) % 1000) / 7 - 70 }
        for kernel in Kernel.allCases where CPUFeaturesOnThisMachine.supports(kernel) {
            let serial = try jsaBatch(x, periods: periods, kernel: kernel)
            let parallel = try jsaBatch(x, periods: periods, kernel: kernel, parallel: true)
            #expect(parallel.values.map(\.bitPattern) == serial.values.map(\.bitPattern), "kernel \(kernel)")
        }
    }

    @Test func directWriteBatchEqualsAllocating() throws {
        let periods = try PeriodRange(start: 5, end: 25, step: 5)
        let expected = try jsaBatch(data, periods: periods)
        var out = [Double](repeating: 0, count: periods.count * data.count)
        try data.withUnsafeBufferPointer { input in
            try out.withUnsafeMutableBufferPointer { output in
                try jsaBatchInto(input, periods: periods, parallel: true, output: output)
            }
        }
        #expect(out.map(\.bitPattern) == expected.values.map(\.bitPattern))
    }

    @Test func periodZeroInTheRangeIsAnInvalidPeriod() throws {
        #expect(throws: JSAError.invalidPeriod(period: 0, length: data.count)) {
            try jsaBatch(data, periods: try PeriodRange(start: 0, end: 3, step: 1))
        }
    }

    @Test func largestPeriodMustFitTheValidData() throws {
        #expect(throws: JSAError.notEnoughValidData(needed: 501, valid: 500)) {
            try jsaBatch(data, periods: try PeriodRange(start: 501, end: 400, step: 50))
        }
        #expect(throws: JSAError.invalidPeriod(period: 504, length: 503)) {
            try jsaBatch(data, periods: try PeriodRange(start: 10, end: 504, step: 494))
        }
    }

    @Test func batchOutputLengthIsChecked() throws {
        let periods = try PeriodRange(start: 1, end: 3, step: 1)
        var out = [Double](repeating: 9, count: data.count)
        #expect(throws: JSAError.outputLengthMismatch(expected: 3 * data.count, got: data.count)) {
            try data.withUnsafeBufferPointer { input in
                try out.withUnsafeMutableBufferPointer { output in
                    try jsaBatchInto(input, periods: periods, output: output)
                }
            }
        }
        #expect(out.allSatisfy { $0 == 9 })
    }

    @Test func impossibleAllocationIsAnErrorNotATrap() throws {
        let data = [Double](repeating: 1, count: 1_000_000)
        let periods = try PeriodRange(start: 1, end: 1_000_000, step: 1)  // 8 TB of output
        #expect(throws: JSAError.outputTooLarge(bytes: 8_000_000_000_000, physicalMemory: SystemMemory.physicalBytes!)) {
            try jsaBatch(data, periods: periods)
        }
    }

    @Test func rowsTimesLengthOverflowIsAnError() {
        #expect(throws: JSAError.sizeOverflow(rows: Int.max / 2, length: 3)) {
            try Validation.batchElementCount(rows: Int.max / 2, length: 3, allocating: false)
        }
        #expect(throws: JSAError.sizeOverflow(rows: Int.max / 8, length: 2)) {
            try Validation.batchElementCount(rows: Int.max / 8, length: 2, allocating: false)  // bytes overflow
        }
        #expect(throws: Never.self) { try Validation.batchElementCount(rows: 1 << 20, length: 1 << 20, allocating: false) }
    }
}

@Suite struct StreamTests {
    @Test(arguments: [1, 2, 7, 30])
    func streamEqualsTheBatchOutput(period: Int) throws {
        var data: [Double] = [.nan, .nan] + (0..<300).map { Double(($0 * 7919) % 1000) / 7 - 70 }
        data[50] = .nan
        data[51] = .infinity
        let batch = try jsaBatch(data, periods: try PeriodRange(single: period))
        var stream = try JSAStream(period: period)
        let streamed = data.map { stream.update($0) ?? .nan }
        #expect(streamed.map(\.bitPattern) == batch.values.map(\.bitPattern))
    }

    @Test func returnsNilUntilPeriodValuesWereSeen() throws {
        var stream = try JSAStream(period: 3)
        #expect(stream.update(.nan) == nil)  // leading NaN: not counted
        #expect(stream.update(1) == nil)
        #expect(stream.update(2) == nil)
        #expect(stream.update(3) == nil)
        #expect(stream.update(5) == 3)  // (5 + 1) / 2
        stream.reset()
        #expect(stream.update(10) == nil)
    }

    @Test func rejectsPeriodBelowOne() {
        #expect(throws: JSAError.invalidPeriod(period: 0, length: nil)) { try JSAStream(period: 0) }
    }
}

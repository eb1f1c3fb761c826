import Testing
@testable import JSA

@Suite struct SingleSeriesTests {
    @Test func computesTheDefinitionOnAHandExample() throws {
        let data: [Double] = [.nan, .nan, 1, 2, 4, 8, 16]
        // first = 2, period = 2: out[i] = NaN for i < 4, then (x[i] + x[i-2]) / 2.
        for kernel in Kernel.allCases where CPUFeaturesOnThisMachine.supports(kernel) {
            let out = try jsa(data, period: 2, kernel: kernel)
            #expect(out[0..<4].allSatisfy { $0.isNaN })
            #expect(Array(out[4...]) == [2.5, 5, 10])
        }
    }

    @Test func defaultPeriodIs30() throws {
        let data = (0..<40).map(Double.init)
        let out = try jsa(data)
        #expect(out[29].isNaN)
        #expect(out[30] == 15)  // (30 + 0) / 2
    }

    @Test func directWriteEqualsAllocating() throws {
        let data = (0..<1000).map { Double($0 % 37) - 18.5 }
        for kernel in Kernel.allCases where CPUFeaturesOnThisMachine.supports(kernel) {
            var out = [Double](repeating: 7, count: data.count)
            try jsaInto(data, period: 13, kernel: kernel, output: &out)
            #expect(out.map(\.bitPattern) == (try jsa(data, period: 13, kernel: kernel)).map(\.bitPattern))
        }
    }

    @Test func periodEqualToValidLengthGivesAllNaN() throws {
        let out = try jsa([.nan, 1, 2, 3], period: 3)
        #expect(out.count == 4 && out.allSatisfy { $0.isNaN })
    }

    @Test func nanInsideTheDataPropagates() throws {
        let out = try jsa([1, 2, .nan, 4, 5], period: 1)
        #expect(out[1] == 1.5)
        #expect(out[2].isNaN && out[3].isNaN)
        #expect(out[4] == 4.5)
    }
}

@Suite struct ErrorTests {
    @Test func emptyInput() {
        #expect(throws: JSAError.emptyInput) { try jsa([], period: 1) }
        #expect(JSAError.emptyInput.description == "input is empty")
    }

    @Test func allValuesNaN() {
        #expect(throws: JSAError.allValuesNaN(length: 3)) { try jsa([.nan, .nan, .nan], period: 1) }
        #expect(JSAError.allValuesNaN(length: 3).description == "all 3 input values are NaN")
    }

    @Test(arguments: [0, -1, 6, Int.max, Int.min])
    func invalidPeriod(period: Int) {
        #expect(throws: JSAError.invalidPeriod(period: period, length: 5)) { try jsa([1, 2, 3, 4, 5], period: period) }
    }

    @Test func invalidPeriodMessages() {
        #expect(
            JSAError.invalidPeriod(period: 0, length: 5).description
                == "invalid period 0 for input of length 5 (period must be in 1...5)")
        #expect(JSAError.invalidPeriod(period: 0, length: nil).description == "invalid period 0 (period must be at least 1)")
    }

    @Test func notEnoughValidData() {
        #expect(throws: JSAError.notEnoughValidData(needed: 4, valid: 3)) { try jsa([.nan, .nan, 1, 2, 3], period: 4) }
        #expect(
            JSAError.notEnoughValidData(needed: 4, valid: 3).description
                == "not enough valid data: needed 4, valid 3 (values from the first non-NaN on)")
    }

    @Test func outputLengthMismatchWritesNothing() {
        var out = [Double](repeating: 42, count: 4)
        #expect(throws: JSAError.outputLengthMismatch(expected: 5, got: 4)) {
            try jsaInto([1, 2, 3, 4, 5], period: 1, output: &out)
        }
        #expect(out == [42, 42, 42, 42])
        #expect(JSAError.outputLengthMismatch(expected: 5, got: 4).description == "output length mismatch: expected 5, got 4")
    }

    @Test func validationErrorsWriteNothing() {
        var out = [Double](repeating: 42, count: 3)
        #expect(throws: JSAError.self) { try jsaInto([.nan, 1, 2], period: 3, output: &out) }
        #expect(out == [42, 42, 42])
    }

    @Test func overlappingOutputIsRejected() {
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 16)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: (0..<16).map(Double.init))
        let input = UnsafeBufferPointer(rebasing: buffer[0..<10])
        let shifted = UnsafeMutableBufferPointer(rebasing: buffer[6..<16])
        #expect(throws: JSAError.outputOverlapsInput) { try jsaInto(input, period: 2, output: shifted) }
        #expect(Array(buffer) == (0..<16).map(Double.init))
        let disjoint = UnsafeMutableBufferPointer(rebasing: buffer[10..<16])
        let shortInput = UnsafeBufferPointer(rebasing: buffer[0..<6])
        #expect(throws: Never.self) { try jsaInto(shortInput, period: 2, output: disjoint) }
    }

    /// `jsaInto`'s hot path tests every check at once and leaves each failure to the checks one by
    /// one: every condition it tests fails here alone, through `jsaInto`, with the error that names
    /// it and nothing written.
    @Test func directWriteReportsEachCheckAlone() {
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 16)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: (0..<16).map(Double.init))
        let untouched = Array(buffer)
        let input = UnsafeBufferPointer(rebasing: buffer[0..<5])
        let output = UnsafeMutableBufferPointer(rebasing: buffer[8..<13])
        // An empty buffer with an address: nothing is read from it.
        let empty = UnsafeBufferPointer(rebasing: buffer[3..<3])
        #expect(empty.baseAddress != nil)
        #expect(throws: JSAError.emptyInput) {
            try jsaInto(empty, period: 1, output: UnsafeMutableBufferPointer(rebasing: buffer[8..<8]))
        }
        for period in [0, -1, 6, Int.max, Int.min] {
            #expect(throws: JSAError.invalidPeriod(period: period, length: 5)) { try jsaInto(input, period: period, output: output) }
        }
        #expect(throws: JSAError.outputLengthMismatch(expected: 5, got: 4)) {
            try jsaInto(input, period: 1, output: UnsafeMutableBufferPointer(rebasing: buffer[8..<12]))
        }
        // The input starting inside the output (the other way round is overlappingOutputIsRejected's).
        #expect(throws: JSAError.outputOverlapsInput) {
            try jsaInto(UnsafeBufferPointer(rebasing: buffer[10..<15]), period: 1, output: output)
        }
        #expect(Array(buffer) == untouched)
    }

    /// An input that starts with NaN leaves the hot path and still computes from its first number on.
    @Test func directWriteAfterLeadingNaN() throws {
        let data: [Double] = [.nan, .nan] + (0..<98).map { Double($0) * 0.25 }
        for kernel in Kernel.allCases where CPUFeaturesOnThisMachine.supports(kernel) {
            var out = [Double](repeating: 7, count: data.count)
            try jsaInto(data, period: 3, kernel: kernel, output: &out)
            #expect(out.map(\.bitPattern) == (try jsa(data, period: 3, kernel: .scalar)).map(\.bitPattern))
        }
    }

    @Test func errorsAreOneLine() {
        let errors: [JSAError] = [
            .emptyInput, .allValuesNaN(length: 1), .invalidPeriod(period: 0, length: 1),
            .notEnoughValidData(needed: 2, valid: 1), .outputLengthMismatch(expected: 1, got: 2),
            .outputOverlapsInput, .invalidKernel(name: "x"), .kernelNotSupported(kernel: .avx2, reason: "r"),
            .invalidCPUFeatureList(variable: "V", name: "n"), .invalidPeriodRange(start: -1, end: 1, step: 1),
            .sizeOverflow(rows: 2, length: 3), .outputTooLarge(bytes: 10, physicalMemory: 5)
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
    }
}

/// This machine's CPU with the process's cap (kernels that cannot run here are skipped).
enum CPUFeaturesOnThisMachine {
    static func supports(_ kernel: Kernel) -> Bool {
        (try? CPUFeatures.current().supports(kernel)) ?? false
    }
}

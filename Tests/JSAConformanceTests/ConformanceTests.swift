import JSA
import Testing
@testable import JSAConformance

@Suite struct ConformanceTests {
    /// The core guarantee: every kernel this CPU supports equals scalar bit for bit over the
    /// edge cases and a few thousand seeded random inputs, and scalar equals the definition.
    @Test func everySupportedKernelIsBitIdenticalToScalar() throws {
        let run = try ConformanceRun.run(ConformanceSuite.standard(seed: 2026, randomCases: 3000))
        #expect(run.passed, "\(run.table())")
        #expect(run.kernelsRun.contains(.scalar) && run.kernelsRun.contains(.auto))
        let cpu = try CPUFeatures.current()
        for kernel in Kernel.concrete {
            #expect(run.kernelsRun.contains(kernel) == cpu.supports(kernel))
        }
    }

    @Test func emptyInputFailsAlikeOnEveryKernel() throws {
        for kernel in Kernel.allCases where try CPUFeatures.current().supports(kernel) {
            #expect(throws: JSAError.emptyInput) { try jsa([], period: 1, kernel: kernel) }
        }
    }

    @Test func suitesCoverTheEdgeCasesTheyName() {
        let suites = ConformanceSuite.standard(randomCases: 10)
        let lengths = Set(suites[0].cases.map { $0.data.count % 16 })
        #expect(lengths == Set(0..<16))
        let nanRuns = Set(suites[1].cases.map { $0.data.firstIndex(where: { !$0.isNaN })! })
        #expect(nanRuns.isSuperset(of: 1...33))
        let operations = suites.flatMap(\.cases).map(\.operation)
        #expect(operations.contains { if case let .batch(r, false) = $0 { r.stride > 0 } else { false } })
        #expect(operations.contains { if case let .batch(r, false) = $0 { r.stride < 0 } else { false } })
        #expect(operations.contains { if case let .batch(r, false) = $0 { r.count == 1 } else { false } })
        #expect(operations.contains { if case .batch(_, true) = $0 { true } else { false } })
        let offsets = Set(operations.compactMap { if case let .into(_, offset) = $0 { offset } else { nil } })
        #expect(offsets == Set(0..<8))
        #expect(suites.last?.cases.count == 10)
    }

    @Test func sameSeedBuildsTheSameInputs() {
        let a = ConformanceSuite.standard(seed: 7, randomCases: 20).flatMap(\.cases).map { $0.data.map(\.bitPattern) }
        let b = ConformanceSuite.standard(seed: 7, randomCases: 20).flatMap(\.cases).map { $0.data.map(\.bitPattern) }
        let c = ConformanceSuite.standard(seed: 8, randomCases: 20).flatMap(\.cases).map { $0.data.map(\.bitPattern) }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func referenceMatchesTheDefinitionByHand() {
        let out = ReferenceJSA.jsa([.nan, 2, 4, 8], period: 1)
        #expect(out[0].isNaN && out[1].isNaN)
        #expect(Array(out[2...]) == [3, 6])
    }
}

@Suite struct BitComparisonTests {
    @Test func equalArraysHaveNoDifference() {
        #expect(BitComparison.firstDifference(expected: [1, .nan, -0.0], actual: [1, .nan, -0.0]) == nil)
    }

    @Test func signOfZeroCounts() {
        let difference = BitComparison.firstDifference(expected: [1, 0.0], actual: [1, -0.0])
        #expect(difference == "index 1: got -0.0 (0x8000000000000000), expected 0.0 (0x0000000000000000)")
    }

    @Test func nanPayloadCounts() {
        let payload = Double(bitPattern: 0x7FF8_0000_0000_0001)
        #expect(BitComparison.firstDifference(expected: [.nan], actual: [payload]) != nil)
    }

    /// Long buffers (the sweep's outputs): the first differing index wherever it lies, block
    /// boundaries and the tail included; empty ones are equal.
    @Test(arguments: [0, 7, 8, 9, 50_000, 100_002])
    func theFirstDifferenceIsFoundAnywhere(index: Int) {
        let expected = (0..<100_003).map { Double($0) * 0.5 }
        var actual = expected
        actual[index] = actual[index].nextUp
        if index + 1 < actual.count { actual[actual.count - 1] = .nan }  // a later difference does not hide it
        #expect(BitComparison.firstDifference(expected: expected, actual: actual)?.hasPrefix("index \(index): ") == true)
        #expect(BitComparison.firstDifference(expected: expected, actual: expected) == nil)
        #expect(BitComparison.firstDifference(expected: [], actual: []) == nil)
    }

    @Test func lengthCounts() {
        #expect(BitComparison.firstDifference(expected: [1, 2], actual: [1]) == "length 1, expected 2")
    }

    @Test func aWrongOutputIsReportedAsAFailure() {
        let testCase = ConformanceCase(data: [1, 2, 3, 4], operation: .single(period: 1))
        var wrong = testCase.reference()
        wrong[3] = wrong[3].nextUp
        #expect(ConformanceRun.check(testCase, kernel: .scalar, expected: wrong)?.hasPrefix("index 3:") == true)
        #expect(ConformanceRun.check(testCase, kernel: .scalar, expected: testCase.reference()) == nil)
        let invalid = ConformanceCase(data: [1, 2], operation: .single(period: 5))
        #expect(ConformanceRun.check(invalid, kernel: .scalar, expected: [0, 0])?.hasPrefix("threw invalid period 5") == true)
    }
}

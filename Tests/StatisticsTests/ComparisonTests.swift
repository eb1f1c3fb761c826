import Testing
@testable import Statistics

@Suite struct SampleComparisonTests {
    @Test func mannWhitneyOnSeparatedAndIdenticalSamples() {
        let low = (1...10).map(Double.init)
        let high = (11...20).map(Double.init)
        // U = 0, mean 50, sd = sqrt(10·10·21/12) = 13.229; z = (50 − 0.5)/13.229 = 3.742; p = 1.83e-4.
        let p = SampleComparison.mannWhitneyP(low, high)
        #expect(abs(p - 1.83e-4) < 0.2e-4, "p = \(p)")
        #expect(SampleComparison.mannWhitneyP(low, low) == 1)
        #expect(SampleComparison.mannWhitneyP([5, 5, 5], [5, 5, 5]) == 1)  // all ties: no evidence
    }

    @Test func ratioAndItsIntervalOnKnownShifts() {
        let base = (0..<30).map { 100 + Double($0 % 5) }
        let head = base.map { $0 * 1.1 }
        let comparison = SampleComparison.compare(base: base, head: head, seed: 3)
        #expect(abs(comparison.ratio - 1.1) < 1e-12)
        #expect(comparison.ci95Low > 1.05 && comparison.ci95High < 1.15)
        #expect(comparison.pValue < 0.001)
        let same = SampleComparison.compare(base: base, head: base, seed: 3)
        #expect(same.ratio == 1 && same.ci95Low <= 1 && same.ci95High >= 1)
    }
}

@Suite struct PairedComparisonTests {
    @Test func signTestExactValues() {
        // 10 of 10 positive: p = 2 / 1024.
        #expect(abs(PairedComparison.signTestP(Array(repeating: 0.1, count: 10)) - 2.0 / 1024) < 1e-12)
        // 5 of 10: p = 1.
        #expect(PairedComparison.signTestP([1, -1, 1, -1, 1, -1, 1, -1, 1, -1]) == 1)
        // 8 of 10: p = 2 · (1 + 10 + 45) / 1024.
        #expect(abs(PairedComparison.signTestP([1, 1, 1, 1, 1, 1, 1, 1, -1, -1]) - 112.0 / 1024) < 1e-12)
        #expect(PairedComparison.signTestP([0, 0]) == 1)
    }

    @Test func consistentSlowdownIsFoundAndOneWildRoundDoesNotMoveIt() {
        var ratios = Array(repeating: 1.05, count: 12)
        ratios[3] = 3.0
        let paired = PairedComparison.compare(ratios: ratios, seed: 1)
        #expect(abs(paired.ratio - 1.05) < 1e-9)
        #expect(paired.ci95Low > 1 && paired.pValue < 0.01 && paired.rounds == 12)
        let flat = PairedComparison.compare(ratios: [1.01, 0.99, 1.0, 1.02, 0.98, 1.0], seed: 1)
        #expect(flat.ci95Low < 1 && flat.ci95High > 1)
    }
}

import Testing
@testable import Measurement

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

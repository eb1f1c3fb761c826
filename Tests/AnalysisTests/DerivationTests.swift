import BenchModel
import Foundation
import Measurement
import Statistics
import Testing
@testable import Analysis

@Suite struct DerivationTests {
    @Test func fractionsSpeedupsAndAllocationOverhead() {
        var cases = [
            syntheticCase(family: "native", variant: "into", kernel: "scalar", medianNs: 400),
            syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100),
            syntheticCase(family: "native", variant: "alloc", kernel: "avx2", medianNs: 125),
            syntheticCase(family: "native", variant: "alloc", kernel: "scalar", medianNs: 500),
            syntheticCase(family: "native", variant: "into_aliased", kernel: "avx2", medianNs: 150),
            syntheticCase(family: "batch", variant: "single_thread", kernel: "auto", medianNs: 3000),
            syntheticCase(family: "batch", variant: "all_cores", kernel: "auto", medianNs: 2000),
            syntheticCase(family: "reference", variant: "memcpy", kernel: nil, medianNs: 80),
            syntheticCase(family: "reference", variant: "stream_add", kernel: nil, medianNs: 200),
            syntheticCase(family: "native", variant: "into_offset", kernel: "avx2", medianNs: 130)
        ]
        Derivation.derive(&cases, group: Array(cases.indices))
        let avx2 = cases[1].derived
        #expect(avx2.fractionOfMemcpy == 1.25 && avx2.fractionOfStreamAdd == 0.5 && avx2.speedupOverScalar == 4)
        #expect(avx2.allocOverheadNs == nil)
        let alloc = cases[2].derived
        #expect(alloc.allocOverheadNs == 25 && alloc.allocOverheadPercent == 25)
        #expect(alloc.speedupOverScalar == 4)  // against alloc/scalar
        #expect(cases[4].derived.aliasingPenaltyPercent == 50)
        #expect(cases[6].derived.speedupOverSingleThread == 1.5)
        #expect(cases[7].derived == DerivedMetrics())
        #expect(cases[9].derived.offsetInputPenaltyPercent == 30 && cases[9].derived.aliasingPenaltyPercent == nil)
        #expect(cases[4].derived.offsetInputPenaltyPercent == nil)
    }
}

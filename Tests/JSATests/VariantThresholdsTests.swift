import CJSAKernels
import Foundation
import Testing

@testable import JSA

/// The output sizes at which the variants that choose their loop by size change it, from the cache
/// sizes in sysfs: `zmm-permute` permutes every lagged vector from `jsa_permute_threshold()` (half
/// the L1d, where input and output together fill it) and runs `ymm-alignr`'s 256-bit loop in the
/// window from `jsa_ymm_window_start()` (3/4 of the L1d) to `jsa_ymm_window_end()` (1/8 of the L2),
/// which needs AVX-512VL; `lag-ring` runs `lane-permute`'s loop from
/// `jsa_avx2_permute_from()` (5/8 of the L1d), and its ring of input vectors at periods of 4q with
/// the input on its block below `jsa_avx2_vector_ring_below()` (the L1d); `ymm-ring` hands its calls
/// below `jsa_ymm_ring_below()` (35/64 of the L1d) to `lag-ring`'s row, and at odd periods below
/// `jsa_valignq_ring_below()` (half the L1d) runs its own `valignq` ring.
@Suite struct VariantThresholdsTests {
    @Test func thePermuteThresholdIsHalfTheL1dAndNeverWhereItIsUnknown() {
        #expect(jsa_permute_threshold_for_l1d(48 << 10) == 24 << 10)
        #expect(jsa_permute_threshold_for_l1d(32 << 10) == 16 << 10)
        #expect(jsa_permute_threshold_for_l1d(-1) == -1)  // SIZE_MAX: unknown, never
    }

    /// From an output of 5/8 of the L1d (input and output 1.25x it: n = 2560 on a 32 KiB L1d, where
    /// the two loops measured alike on the AMD Zen 3 guest); never without an L1d size.
    @Test func theAVX2PermutesBeginAtFiveEighthsOfTheL1d() {
        #expect(jsa_avx2_permute_from_for_l1d(32 << 10) == 20 << 10)
        #expect(jsa_avx2_permute_from_for_l1d(48 << 10) == 30 << 10)
        #expect(jsa_avx2_permute_from_for_l1d(-1) == -1)  // SIZE_MAX: unknown, never
    }

    /// Below an output of the L1d's size (input and output twice it: n = 4096 on a 32 KiB L1d, past
    /// which the two aligned loads measured faster on the AMD Zen 3 guest); never without an L1d size.
    @Test func theAVX2VectorRingEndsAtTheL1d() {
        #expect(jsa_avx2_vector_ring_below_for_l1d(32 << 10) == 32 << 10)
        #expect(jsa_avx2_vector_ring_below_for_l1d(48 << 10) == 48 << 10)
        #expect(jsa_avx2_vector_ring_below_for_l1d(-1) == 0)  // SIZE_MAX: unknown; below 0: never
    }

    /// Below an output of 35/64 of the L1d (input and output 1.09x it: n = 2240 on a 32 KiB L1d,
    /// between the sizes where the ring and the `valignq` loop measured ahead on the AMD Zen 4
    /// guest, 2200 and 2300); never without an L1d size.
    @Test func theYmmRingRowsEndAt35Of64OfTheL1d() {
        #expect(jsa_ymm_ring_below_for_l1d(32 << 10) == 17920)
        #expect(jsa_ymm_ring_below_for_l1d(48 << 10) == 26880)
        #expect(jsa_ymm_ring_below_for_l1d(-1) == 0)  // SIZE_MAX: unknown; below 0: never
    }

    /// Below an output of half the L1d (input and output within it: n = 2048 on a 32 KiB L1d; the
    /// `valignq` ring measured ahead of `lag-ring`'s row up to n = 2100 and behind from 2150 at
    /// periods 17 and 29 on the AMD Zen 4 guest); never without an L1d size.
    @Test func theValignqRingRowsEndAtHalfTheL1d() {
        #expect(jsa_valignq_ring_below_for_l1d(32 << 10) == 16 << 10)
        #expect(jsa_valignq_ring_below_for_l1d(48 << 10) == 24 << 10)
        #expect(jsa_valignq_ring_below_for_l1d(-1) == 0)  // SIZE_MAX: unknown; below 0: never
    }

    /// From an output of 3/4 of the L1d (input and output 1.5x it) to one of 1/8 of the L2 (both a
    /// quarter of it); empty without AVX-512VL or an L2 size, never started without an L1d size.
    @Test func theWindowRunsFromThreeQuartersOfTheL1dToAnEighthOfTheL2() {
        #expect(jsa_ymm_window_start_for_l1d(48 << 10) == 36 << 10)
        #expect(jsa_ymm_window_start_for_l1d(32 << 10) == 24 << 10)
        #expect(jsa_ymm_window_start_for_l1d(-1) == -1)
        #expect(jsa_ymm_window_end_for_l2(1 << 20, 1) == 128 << 10)
        #expect(jsa_ymm_window_end_for_l2(2 << 20, 1) == 256 << 10)
        #expect(jsa_ymm_window_end_for_l2(1 << 20, 0) == 0, "no AVX-512VL: no 256-bit loop to run")
        #expect(jsa_ymm_window_end_for_l2(-1, 1) == 0, "no L2 size: an empty window")
    }

    /// The thresholds this process uses are the ones for the caches sysfs reports (the first cache
    /// of each level that is not an instruction cache) and for this CPU's AVX-512VL.
    @Test func theThresholdsFollowSysfs() throws {
        let l1d = Self.dataCacheBytes(level: 1), l2 = Self.dataCacheBytes(level: 2)
        #expect(jsa_permute_threshold() == (l1d.map { jsa_permute_threshold_for_l1d($0) } ?? -1))
        #expect(jsa_ymm_window_start() == (l1d.map { jsa_ymm_window_start_for_l1d($0) } ?? -1))
        #expect(jsa_avx2_permute_from() == (l1d.map { jsa_avx2_permute_from_for_l1d($0) } ?? -1))
        #expect(jsa_avx2_vector_ring_below() == (l1d.map { jsa_avx2_vector_ring_below_for_l1d($0) } ?? 0))
        #expect(jsa_ymm_ring_below() == (l1d.map { jsa_ymm_ring_below_for_l1d($0) } ?? 0))
        #expect(jsa_valignq_ring_below() == (l1d.map { jsa_valignq_ring_below_for_l1d($0) } ?? 0))
        #expect(jsa_ymm_window_end() == jsa_ymm_window_end_for_l2(l2 ?? -1, AVX512Variant.avx512vlDetected ? 1 : 0))
    }

    /// The size of cpu0's first level-`level` cache that is not an instruction cache, in bytes, as
    /// sysfs writes it (`48K`, `1024K`, `32M`); nil where there is none.
    static func dataCacheBytes(level: Int) -> Int? {
        let folder = "/sys/devices/system/cpu/cpu0/cache"
        func read(_ index: Int, _ name: String) -> String? {
            (try? String(contentsOfFile: "\(folder)/index\(index)/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let index = (0..<8).first(where: { read($0, "level") == "\(level)" && read($0, "type") != "Instruction" }),
            let size = read(index, "size"), let value = Int(size.dropLast())
        else { return nil }
        switch size.last {
        case "K": return value << 10
        case "M": return value << 20
        default: return nil
        }
    }
}

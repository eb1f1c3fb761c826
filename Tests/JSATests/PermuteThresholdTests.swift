import CJSAKernels
import Foundation
import Testing

/// Rows of `zmm-permute` whose output is at least `jsa_permute_threshold()` bytes permute every
/// lagged vector: half the L1d, where input and output together fill it.
@Suite struct PermuteThresholdTests {
    @Test func theThresholdIsHalfTheL1dAndNeverWhereItIsUnknown() {
        #expect(jsa_permute_threshold_for_l1d(48 << 10) == 24 << 10)
        #expect(jsa_permute_threshold_for_l1d(32 << 10) == 16 << 10)
        #expect(jsa_permute_threshold_for_l1d(-1) == -1)  // SIZE_MAX: unknown, never
    }

    /// The threshold this process uses is the one for the L1d that sysfs reports (the first cache
    /// of level 1 that is not an instruction cache).
    @Test func theThresholdFollowsSysfsL1d() throws {
        let folder = "/sys/devices/system/cpu/cpu0/cache"
        func read(_ index: Int, _ name: String) -> String? {
            (try? String(contentsOfFile: "\(folder)/index\(index)/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let l1d = (0..<8).first { read($0, "level") == "1" && read($0, "type") != "Instruction" }
        guard let index = l1d, let size = read(index, "size"), size.hasSuffix("K"), let kib = Int(size.dropLast()) else {
            #expect(jsa_permute_threshold() == -1, "no L1d in sysfs: the threshold is never")
            return
        }
        #expect(jsa_permute_threshold() == jsa_permute_threshold_for_l1d(kib << 10))
    }
}

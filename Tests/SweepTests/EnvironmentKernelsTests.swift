import BenchModel
import Foundation
import JSA
import Testing

@testable import Sweep

/// What a run records about the kernels: the CPU's identity, the cap, and the avx2 and avx512
/// kernels' variants where those kernels can run.
@Suite struct EnvironmentKernelsTests {
    @Test func theVariantsAreRecordedOnlyWhereTheirKernelsRun() throws {
        let cpu = try CPUFeatures.current()
        let environment = Environment.capture(kernelFeatures: cpu)
        #expect(environment.avx512Variant == (cpu.supports(.avx512) ? AVX512Variant.current.rawValue : nil))
        #expect(environment.avx2Variant == (cpu.supports(.avx2) ? AVX2Variant.current.rawValue : nil))
        #expect(environment.forcedVariants == ForcedVariants.assignments)
        let capped = CPUFeatures(
            detected: cpu.detected, compiled: cpu.compiled, disabled: try CPUFeatureSet.parseDisabled("avx512f"),
            identity: cpu.identity)
        let cappedEnvironment = Environment.capture(kernelFeatures: capped)
        #expect(cappedEnvironment.avx512Variant == nil && cappedEnvironment.disabledCPUFeatures == ["avx512f"])
        #expect(cappedEnvironment.avx2Variant == environment.avx2Variant)
        let scalarOnly = CPUFeatures(
            detected: cpu.detected, compiled: cpu.compiled, disabled: try CPUFeatureSet.parseDisabled("avx2"),
            identity: cpu.identity)
        #expect(Environment.capture(kernelFeatures: scalarOnly).avx2Variant == nil)
    }

    @Test func theVariantsRoundTripAndOlderDocumentsReadWithout() throws {
        var environment = Environment.capture(kernelFeatures: try CPUFeatures.current())
        environment.avx512Variant = AVX512Variant.ymmAlignr.rawValue
        environment.avx2Variant = AVX2Variant.lanePermute.rawValue
        let json = try JSONEncoder().encode(environment)
        #expect(String(decoding: json, as: UTF8.self).contains("\"avx512_variant\":\"ymm-alignr\""))
        #expect(String(decoding: json, as: UTF8.self).contains("\"avx2_variant\":\"lane-permute\""))
        #expect(try JSONDecoder().decode(Environment.self, from: json) == environment)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object.removeValue(forKey: "avx512_variant")
        object.removeValue(forKey: "avx2_variant")
        let older = try JSONDecoder().decode(Environment.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.avx512Variant == nil && older.avx2Variant == nil)
    }
}

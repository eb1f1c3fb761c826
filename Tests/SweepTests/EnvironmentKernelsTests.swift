import BenchModel
import Foundation
import JSA
import Testing

@testable import Sweep

/// What a run records about the kernels: the CPU's identity, the cap, and the avx512 kernel's
/// variant where that kernel can run.
@Suite struct EnvironmentKernelsTests {
    @Test func theAVX512VariantIsRecordedOnlyWhereThatKernelRuns() throws {
        let cpu = try CPUFeatures.current()
        let environment = Environment.capture(kernelFeatures: cpu)
        #expect(environment.avx512Variant == (cpu.supports(.avx512) ? AVX512Variant.current.rawValue : nil))
        let capped = CPUFeatures(
            detected: cpu.detected, compiled: cpu.compiled, disabled: try CPUFeatureSet.parseDisabled("avx512f"),
            identity: cpu.identity)
        let cappedEnvironment = Environment.capture(kernelFeatures: capped)
        #expect(cappedEnvironment.avx512Variant == nil && cappedEnvironment.disabledCPUFeatures == ["avx512f"])
    }

    @Test func theVariantRoundTripsAndOlderDocumentsReadWithout() throws {
        var environment = Environment.capture(kernelFeatures: try CPUFeatures.current())
        environment.avx512Variant = AVX512Variant.ymmAlignr.rawValue
        let json = try JSONEncoder().encode(environment)
        #expect(String(decoding: json, as: UTF8.self).contains("\"avx512_variant\":\"ymm-alignr\""))
        #expect(try JSONDecoder().decode(Environment.self, from: json) == environment)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object.removeValue(forKey: "avx512_variant")
        let older = try JSONDecoder().decode(Environment.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.avx512Variant == nil)
    }
}

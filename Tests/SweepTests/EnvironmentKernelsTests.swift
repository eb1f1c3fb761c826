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
        // Against the hardware without the cap the test may run under (scripts/test runs it under two).
        let hardware = CPUFeatures(detected: cpu.detected, compiled: cpu.compiled, identity: cpu.identity)
        let capped = CPUFeatures(
            detected: cpu.detected, compiled: cpu.compiled, disabled: try CPUFeatureSet.parseDisabled("avx512f"),
            identity: cpu.identity)
        let cappedEnvironment = Environment.capture(kernelFeatures: capped)
        #expect(cappedEnvironment.avx512Variant == nil && cappedEnvironment.disabledCPUFeatures == ["avx512f"])
        #expect(cappedEnvironment.avx2Variant == Environment.capture(kernelFeatures: hardware).avx2Variant)
        let scalarOnly = CPUFeatures(
            detected: cpu.detected, compiled: cpu.compiled, disabled: try CPUFeatureSet.parseDisabled("avx2"),
            identity: cpu.identity)
        #expect(Environment.capture(kernelFeatures: scalarOnly).avx2Variant == nil)
    }

    @Test func kernelVariantsSayWhatRanAndWhatForcedIt() {
        let forced = KernelVariants(avx2: "lane-permute", avx512: nil, forced: ["JSA_AVX2_VARIANT=lane-permute"])
        #expect(forced.description == "avx2 lane-permute (forced by JSA_AVX2_VARIANT=lane-permute)")
        let rule = KernelVariants(avx2: "split-loads", avx512: "zmm-mixed", forced: [])
        #expect(rule.description == "avx2 split-loads, avx512 zmm-mixed (the auto table's rule)")
        #expect(KernelVariants(avx2: nil, avx512: nil, forced: []).description == "no SIMD kernel (the auto table's rule)")
    }

    /// A sampling worker's hello says which variants its kernels run, as a run records them.
    @Test func aWorkersHelloNamesItsVariants() throws {
        let cpu = try CPUFeatures.current()
        let hello = try LocalMeasuringProcess(setup: WorkerSetup(sizes: [64], kernels: [.scalar])).hello
        #expect(hello.kernelVariants == KernelVariants.here(cpu))
        let environment = Environment.capture(kernelFeatures: cpu)
        #expect(hello.kernelVariants?.avx2 == environment.avx2Variant && hello.kernelVariants?.avx512 == environment.avx512Variant)
        let json = String(decoding: try JSONEncoder().encode(hello), as: UTF8.self)
        #expect(json.contains("\"kernel_variants\":{"))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        object.removeValue(forKey: "kernel_variants")
        let older = try JSONDecoder().decode(WorkerReply.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.kernelVariants == nil && older.cases?.count == hello.cases?.count)
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

import BenchModel
import JSA
import Measurement

extension Environment {
    /// The environment of this process (`capture()`) with what the kernels may use on it: the
    /// CPU's identity, which `auto`'s table keys on, the instruction sets `features`' cap
    /// switched off, the variants the avx2 and avx512 kernels run where they can run, and the
    /// variables that forced them.
    public static func capture(kernelFeatures features: CPUFeatures) -> Environment {
        var environment = capture()
        environment.cpuIdentity = features.identity.description
        environment.disabledCPUFeatures = CPUFeatureSet.all.filter { features.disabled.contains($0.feature) }.map(\.name)
        environment.avx512Variant = features.supports(.avx512) ? AVX512Variant.current.rawValue : nil
        environment.avx2Variant = features.supports(.avx2) ? AVX2Variant.current.rawValue : nil
        environment.forcedVariants = ForcedVariants.assignments
        return environment
    }
}

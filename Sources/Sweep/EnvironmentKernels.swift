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
        let variants = KernelVariants.here(features)
        environment.avx512Variant = variants.avx512
        environment.avx2Variant = variants.avx2
        environment.forcedVariants = variants.forced
        return environment
    }
}

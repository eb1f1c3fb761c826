import Foundation
import JSA

/// What this machine can run, for tests whose expectations depend on the CPU: the hardware alone,
/// and under the cap of JSA_DISABLE_CPU_FEATURES in the test's own environment (the test command
/// runs the kernel-dependent tests once uncapped and again under `avx512f` and `avx2`).
enum HostCPU {
    /// The CPU and its OS, without any cap.
    static let hardware: CPUFeatures = try! CPUFeatures.detect(disableList: nil)

    /// The cap in the test's environment (nil when none).
    static let cap: String? = ProcessInfo.processInfo.environment["JSA_DISABLE_CPU_FEATURES"]

    /// What jsa-bench runs here when started with the test's environment.
    static let effective: CPUFeatures = (try? CPUFeatures.detect(disableList: cap)) ?? hardware

    /// `names` without the kernels this machine (under the test's cap) cannot run.
    static func kernels(_ names: [String]) -> [String] {
        names.filter { name in (try? Kernel(parsing: name)).map { effective.supports($0) } ?? false }
    }

    /// `kernels(names)` joined for `--kernels`.
    static func kernelList(_ names: String) -> String {
        kernels(names.split(separator: ",").map(String.init)).joined(separator: ",")
    }

    /// Why `kernel` cannot run when jsa-bench is started with `cap`: the CPU's reason where the
    /// hardware lacks it (it comes first), the cap's otherwise; nil when it can run.
    static func reasonUnsupported(_ kernel: Kernel, cap: String) -> String? {
        guard let capped = try? CPUFeatures.detect(disableList: cap) else { return nil }
        return capped.reasonUnsupported(kernel)
    }
}

import BenchModel
import Foundation

/// The checks that make numbers less trustworthy, from the environment alone.
public enum TrustChecks {
    /// Load average (1 min) per logical CPU above which the machine counts as busy.
    public static let loadPerCPULimit = 0.5

    public static func warnings(for environment: Environment) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        if environment.buildConfiguration != "release" {
            warnings.append(
                Diagnostic(
                    .warning, "debug_build",
                    "this is a \(environment.buildConfiguration) build: timings do not represent optimized code (use swift build -c release)"
                ))
        }
        if let cap = environment.cpuFeatureCap, let disabled = environment.disabledCPUFeatures {
            warnings.append(
                Diagnostic(
                    .warning, "cpu_features_disabled",
                    "\(cap): the kernels and auto run as on a CPU without \(disabled.joined(separator: ", "))"))
        }
        if environment.virtualMachine {
            let name = environment.hypervisor.map { " (\($0))" } ?? ""
            warnings.append(
                Diagnostic(
                    .warning, "virtual_machine",
                    "running in a virtual machine\(name): steal time and a shared host make timings noisier, and the PMU may be missing"))
        }
        switch environment.governor {
        case nil:
            warnings.append(
                Diagnostic(
                    .warning, "frequency_unknown",
                    "no cpufreq in sysfs: the CPU frequency and its scaling cannot be read or pinned"))
        case let governor? where governor != "performance":
            warnings.append(
                Diagnostic(
                    .warning, "frequency_scaling",
                    "cpufreq governor is '\(governor)', not 'performance': the clock may change during the run"))
        default:
            break
        }
        if let oneMinute = environment.loadAverage.first, environment.logicalCPUs > 0,
            oneMinute / Double(environment.logicalCPUs) > loadPerCPULimit
        {
            warnings.append(
                Diagnostic(
                    .warning, "busy_machine",
                    "load average \(String(format: "%.2f", oneMinute)) on \(environment.logicalCPUs) CPUs is above \(loadPerCPULimit) per CPU: other work competes with the benchmark"
                ))
        }
        return warnings
    }
}

import ArgumentParser
import BenchModel
import Foundation
import History
import JSA
import Measurement
import Sweep
import SystemIO

/// `jsa-bench env`: what this machine offers the benchmark — CPU, caches, kernels, PAPI.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print the machine, the usable kernels and PAPI's components, counters and events.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Report: Codable {
        var environment: Environment
        var kernels: [String: String]
        /// The memory a measuring process could take now, bytes, and the limit that says so
        /// (`KernelMemory.Available.Limit`); nil where the system does not say.
        var availableMemoryBytes: Int?
        var availableMemoryLimit: String?
        /// The history stores this build can open, each "available" or why not.
        var historyStores: [String: String]
        var papi: PAPILibrary.Inventory
    }

    func run() throws {
        let cpu: CPUFeatures
        do {
            cpu = try CPUFeatures.current()
        } catch {
            throw failure(error.description, ExitStatus.config)
        }
        var kernels: [String: String] = [:]
        for kernel in Kernel.concrete {
            kernels[kernel.rawValue] = cpu.reasonUnsupported(kernel).map { "unavailable: \($0)" } ?? "available"
        }
        let auto = AutoKernelTable.choice(for: cpu.identity, features: cpu)
        kernels[Kernel.auto.rawValue] = "resolves to \(auto.kernel): \(auto.reason)"
        // The other variants each kernel has on this CPU, and the assignment that forces each.
        let others = ForcedVariants.others(on: cpu)
        let also = { (kernel: Kernel) -> String in
            let forcing = others.filter { $0.kernel == kernel }.map { "\($0.value) (\($0.variable)=\($0.value))" }
            return forcing.isEmpty ? "" : "; also runs \(forcing.joined(separator: ", "))"
        }
        if cpu.supports(.avx512) {
            let variant = AVX512Variant.currentChoice
            kernels["avx512_variant"] = "\(variant.variant): \(variant.variant.summary); \(variant.reason)\(also(.avx512))"
        }
        if cpu.supports(.avx2) {
            let variant = AVX2Variant.currentChoice
            kernels["avx2_variant"] = "\(variant.variant): \(variant.variant.summary); \(variant.reason)\(also(.avx2))"
        }
        let environment = Environment.capture(kernelFeatures: cpu)
        kernels["streaming"] = StreamingStores.choice(for: cpu.identity, l3Bytes: environment.caches.l3Bytes).reason
        kernels["new_outputs"] = NewOutputPages.effect(
            policy: Environment.transparentHugePagePolicy(), disallowed: HugePages.disallowedForThisProcess == true)
        let historyStores = [
            "sqlite": "available",
            "postgres": HistoryLocation.postgresBuilt ? "available" : "not in this build (\(HistoryLocation.postgresBuildHint))"
        ]
        let available = KernelMemory.available()
        let report = Report(
            environment: environment, kernels: kernels, availableMemoryBytes: available?.bytes,
            availableMemoryLimit: available?.limit.rawValue, historyStores: historyStores, papi: PAPILibrary.inventory())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try emit(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        } else {
            try emit(Self.text(report) + "\n")
        }
    }

    static func text(_ report: Report) -> String {
        let e = report.environment
        var lines = [
            "CPU:      \(e.cpuSummary)",
            "Caches:   L1d \(e.caches.l1dBytes.map(String.init) ?? "?") B, L2 \(e.caches.l2Bytes.map(String.init) ?? "?") B, L3 \(e.caches.l3Bytes.map(String.init) ?? "?") B",
            "System:   \(e.os), \(e.kernel), \(e.virtualMachine ? "virtual machine" : "bare metal or unknown"), governor \(e.governor ?? "none"), "
                + "transparent huge pages \(e.transparentHugePages ?? "unknown")",
            "Memory:   \(Self.memory(report))",
            "Build:    \(e.buildConfiguration), \(e.swiftCompiler), C: \(e.cCompiler)",
            "Python:   \(e.pythonVersion ?? "not found"), NumPy \(e.numpyVersion ?? "not found")",
            "Kernels:  " + ["scalar", "avx2", "avx512"].map { "\($0) \(report.kernels[$0] ?? "?")" }.joined(separator: "; "),
            "Auto:     \(report.kernels["auto"] ?? "?")",
            "AVX2:     \(report.kernels["avx2_variant"] ?? "the avx2 kernel cannot run here")",
            "AVX-512:  \(report.kernels["avx512_variant"] ?? "the avx512 kernel cannot run here")",
            "Streams:  \(report.kernels["streaming"] ?? "?")",
            "Outputs:  \(report.kernels["new_outputs"] ?? "?")",
            "History:  " + ["sqlite", "postgres"].map { "\($0) \(report.historyStores[$0] ?? "?")" }.joined(separator: "; ")
        ]
        let papi = report.papi
        if let error = papi.initError {
            lines.append("PAPI:     did not initialise: \(error)")
        } else {
            lines.append(
                "PAPI:     \(papi.version ?? "?"), \(papi.availablePresets) presets mapped to this CPU, \(papi.nativeEvents) native events")
            for c in papi.components {
                let state = c.enabled ? "enabled" : "disabled (\(c.disabledReason ?? "no reason given"))"
                lines.append("  component \(c.index) \(c.name): \(state), \(c.counters) counters, \(c.nativeEvents) native events")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The machine's memory, what a measuring process could take now, and the largest size that
    /// leaves it: e.g. "23.59 GiB; 21.93 GiB available now (MemAvailable): a measuring process
    /// holds 56 B per element at large sizes, so --sizes up to about 420000000".
    static func memory(_ report: Report) -> String {
        let machine = report.environment.memoryBytes.map { Format.bytes($0) } ?? "unknown"
        guard let available = report.availableMemoryBytes, let limit = report.availableMemoryLimit else {
            return "\(machine); how much is available now is not known"
        }
        let perElement = SweepConfiguration.bytesPerElement
        return "\(machine); \(Format.bytes(available)) available now (\(limit)): a measuring process holds \(perElement) B per "
            + "element at large sizes, so --sizes up to about \(available / perElement)"
    }
}

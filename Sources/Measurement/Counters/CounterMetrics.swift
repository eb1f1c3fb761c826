import BenchModel
import Foundation

extension CounterMetrics {
    public init(perCall: [String: Double], elements: Int, bytesPerCall: Int, nsPerCall: Double, multiplexed: Bool) {
        let n = Double(max(elements, 1))
        let kib = Double(max(bytesPerCall, 1)) / 1024
        let cycles = perCall[CounterName.cycles]
        let instructions = perCall[CounterName.instructions]
        let ipc = Self.ratio(instructions, cycles)
        let instructionsPerElement = instructions.map { $0 / n }
        let cyclesPerElement = cycles.map { $0 / n }
        let l1MissesPerElement = perCall[CounterName.l1DataMisses].map { $0 / n }
        let l2MissesPerElement = perCall[CounterName.l2Misses].map { $0 / n }
        let l3MissesPerElement = perCall[CounterName.l3Misses].map { $0 / n }
        let l1MissesPerKiB = perCall[CounterName.l1DataMisses].map { $0 / kib }
        let l2MissesPerKiB = perCall[CounterName.l2Misses].map { $0 / kib }
        let l3MissesPerKiB = perCall[CounterName.l3Misses].map { $0 / kib }
        let branchMispredictionsPerCall = perCall[CounterName.branchMispredictions]
        let effectiveGHz = nsPerCall > 0 ? cycles.map { $0 / nsPerCall } : nil
        let clockRatio = Self.ratio(cycles, perCall[CounterName.referenceCycles])
        let vectorMix = VectorWidthEvents.known.lazy.compactMap { $0.mix(perCall) }.first
        self.init(
            ipc: ipc, instructionsPerElement: instructionsPerElement, cyclesPerElement: cyclesPerElement,
            l1MissesPerElement: l1MissesPerElement, l2MissesPerElement: l2MissesPerElement,
            l3MissesPerElement: l3MissesPerElement, l1MissesPerKiB: l1MissesPerKiB,
            l2MissesPerKiB: l2MissesPerKiB, l3MissesPerKiB: l3MissesPerKiB,
            branchMispredictionsPerCall: branchMispredictionsPerCall, effectiveGHz: effectiveGHz,
            clockRatio: clockRatio, vectorMix: vectorMix, restsOnMultiplexedCounts: multiplexed)
    }

    private static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return a / b
    }
}

/// Checks that what a case retired matches its kernel's name.
public enum VectorIdentity {
    /// Share of FP instructions above which a "scalar" case counts as vectorized.
    public static let tolerance = 0.01

    /// Nil when the mix fits `kernel` (`scalar`, `avx2`, `avx512`), otherwise what is wrong.
    public static func mismatch(kernel: String, mix: [String: Double]) -> String? {
        let packed = (mix["128"] ?? 0) + (mix["256"] ?? 0) + (mix["512"] ?? 0)
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        switch kernel {
        case "scalar" where packed > tolerance:
            return "a scalar kernel retired \(percent(packed)) packed FP instructions"
        case "avx2" where (mix["512"] ?? 0) > tolerance:
            return "an avx2 kernel retired \(percent(mix["512"] ?? 0)) 512-bit FP instructions"
        case "avx2" where (mix["256"] ?? 0) == 0:
            return "an avx2 kernel retired no 256-bit FP instructions"
        case "avx512" where (mix["512"] ?? 0) == 0:
            return "an avx512 kernel retired no 512-bit FP instructions"
        default:
            return nil
        }
    }
}

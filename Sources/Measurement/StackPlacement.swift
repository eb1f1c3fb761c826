import CMeasurement
import SeededRandom

/// Where on the stack a measuring process takes its samples: from a frame moved down by a number
/// of bytes drawn afresh for every round, so that a process's numbers mix that many placements of
/// the measured call's frames instead of one.
///
/// A call's frames lie wherever the process's randomized stack top and the depth of the code
/// around the call put them, and where they lie against the buffers' 4 KiB offsets can decide
/// whether the loads of saved registers after a long run of stores wait behind a store to the same
/// offset ("4K aliasing"). Every sample of one process is taken at one depth. On the AMD EPYC
/// Zen 3 guest (2026-12-07, `jsa-bench sweep --sizes 1000 --kernels avx2 --no-python` at the
/// host's fast level, 62 runs, each a process whose samples ran from a frame moved down by another
/// multiple of 64 bytes) `into avx2` took 93.0–94.0 ns per call in 51 runs and 101.5–140.0 in 11;
/// a build whose Swift caller saved five registers instead of one read 110.0–110.1 ns against
/// 93.5–93.6 in each of its runs. Drawn per round, a process's numbers mix the depths, and rounds
/// stay paired (a round's cases share one).
public struct StackPlacement: Hashable, Sendable {
    /// Offsets are drawn from [0, `spanBytes`) in steps of `stepBytes`; 0: samples run where they
    /// are called, as builds before this did.
    public let spanBytes: Int

    /// The stack's alignment at a call (x86-64 System V): every offset keeps it.
    public static let stepBytes = 16
    /// One 4 KiB page: a frame's every page offset, against buffers at any offset.
    public static let defaultSpanBytes = 4096
    /// The most a sample moves down the stack (the main thread's stack is megabytes).
    public static let maximumSpanBytes = 65536

    /// A placement drawing from [0, `spanBytes`).
    /// - Precondition: `isValid(spanBytes:)`.
    public init(spanBytes: Int) {
        precondition(Self.isValid(spanBytes: spanBytes), "a stack span is a multiple of 16 bytes in 0...65536")
        self.spanBytes = spanBytes
    }

    /// Whether `spanBytes` is a multiple of `stepBytes` in 0...`maximumSpanBytes`.
    public static func isValid(spanBytes: Int) -> Bool {
        (0...maximumSpanBytes).contains(spanBytes) && spanBytes % stepBytes == 0
    }

    /// The offset of draw `draw` (a round, or the n-th sample asked for alone), bytes: a multiple
    /// of `stepBytes` below `spanBytes`, seeded by the draw, so the same in every process and run.
    public func offset(draw: Int) -> Int {
        let steps = spanBytes / Self.stepBytes
        guard steps > 1 else { return 0 }
        var generator = SplitMix64(seed: 0x57AC_C0FF_5E75_0000 ^ (UInt64(truncatingIfNeeded: draw) &* 0xD1B5_4A32_D192_ED03))
        return Int(generator.next() % UInt64(steps)) * Self.stepBytes
    }

    /// Runs `body` from a frame `bytes` (≥ 0) lower on the stack than the caller's.
    public static func run(bytes: Int, _ body: () -> Void) {
        precondition(bytes >= 0, "a stack offset is a number of bytes, at least 0")
        withoutActuallyEscaping(body) { body in
            var call = body
            withUnsafeMutablePointer(to: &call) { pointer in
                mx_call_with_stack_offset(
                    bytes, { context in context!.assumingMemoryBound(to: (() -> Void).self).pointee() }, pointer)
            }
        }
    }
}

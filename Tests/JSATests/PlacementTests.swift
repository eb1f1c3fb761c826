import CJSAKernels
import Foundation
import Testing

@testable import JSA

/// Every kernel bit for bit against scalar at every placement a buffer can have: input and output
/// each at every byte offset 0-63 from a 64-byte line (doubles need not be 8-byte aligned in a
/// foreign buffer, which the kernels' peels and unaligned paths must handle), with every period
/// from 1 to 64 — the lagged operand's offset within a line is the period's, so this covers every
/// relation of the three streams to cache lines and to the SIMD blocks. The avx2 and avx512 kernels
/// run in each of their variants this CPU can run, whichever the auto table would choose here.
@Suite struct PlacementTests {
    /// A kernel as the test calls it: one variant of the avx2 or the avx512 kernel.
    struct Subject: CustomTestStringConvertible, Sendable {
        enum Variant: Sendable {
            case avx2(AVX2Variant)
            case avx512(AVX512Variant)
        }
        let variant: Variant

        var testDescription: String {
            switch variant {
            case .avx2(let avx2): "avx2 \(avx2)"
            case .avx512(let avx512): "avx512 \(avx512)"
            }
        }

        func row(_ x: UnsafePointer<Double>, _ count: Int, _ period: Int, _ out: UnsafeMutablePointer<Double>) -> Int32 {
            switch variant {
            case .avx2(let avx2): jsa_row_variant_avx2(avx2.cVariant, x, count, 0, period, out)
            case .avx512(let avx512): jsa_row_variant_avx512(avx512.cVariant, x, count, 0, period, out)
            }
            return 0
        }
    }

    /// The SIMD kernels this machine (and its cap) can run, each in every variant this CPU can
    /// run, whichever the auto table would choose here; scalar is the reference.
    static let subjects: [Subject] = {
        guard let cpu = try? CPUFeatures.current() else { return [] }
        var subjects: [Subject] = []
        if cpu.supports(.avx2) {
            subjects += AVX2Variant.allCases.map { Subject(variant: .avx2($0)) }
        }
        if cpu.supports(.avx512) {
            subjects += AVX512Variant.allCases.filter { !$0.needsAVX512VL || AVX512Variant.avx512vlDetected }
                .map { Subject(variant: .avx512($0)) }
        }
        return subjects
    }()

    /// `count` seeded values of both signs, none NaN.
    static func seededData(count: Int) -> [Double] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11)) * 1e-12
        }
    }

    @Test(arguments: subjects) func everyPeriodAtEveryInputAndOutputOffset(_ subject: Subject) {
        // 203 values: main loops of 16 (or 32) with every kind of head, tail and peel around them.
        let data = Self.seededData(count: 203)
        let bad = mismatches(subject, data, inputOffsets: 0..<64, outputOffsets: 0..<64)
        let allMatch = bad.isEmpty
        #expect(
            allMatch, "\(subject.testDescription): \(bad.count) of \(64 * 64 * 64) placements differ from scalar, first \(bad.prefix(3))")
    }

    /// Rows longer than `JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH`, which `ymm-alignr` runs in its
    /// other schedule (each iteration's blocks loaded first; the rows above run the interleaved
    /// one), at every period 1-64 with the input at each double's offset within a 32-byte block
    /// and the output at four offsets, aligned and not.
    @Test(arguments: subjects) func rowsBeyondTheInterleavedLengthAtEveryPeriod(_ subject: Subject) {
        let data = Self.seededData(count: Int(JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH) + 203)
        let bad = mismatches(subject, data, inputOffsets: [0, 8, 16, 24], outputOffsets: [0, 8, 32, 56])
        let allMatch = bad.isEmpty
        #expect(allMatch, "\(subject.testDescription): \(bad.count) of \(64 * 16) placements differ from scalar, first \(bad.prefix(3))")
    }

    /// Whether `zmm-permute`'s 256-bit window holds rows on this machine: its cache sizes are known
    /// and it has AVX-512VL (`jsa_ymm_window_start`, `jsa_ymm_window_end`).
    static let windowIsOpen = jsa_ymm_window_start() != -1 && jsa_ymm_window_end() > jsa_ymm_window_start()

    /// Rows in `zmm-permute`'s 256-bit window, which that variant runs with `ymm-alignr`'s loop
    /// where the input is as aligned as the output modulo 32 bytes, with `lane-permute`'s where it is
    /// 16 bytes off that at an even period, and with its permute loop otherwise: at every period 1-64, the input at each double's offset within a 64-byte line and the
    /// output at four offsets. (Batches whose whole output lies in the window: BatchTests' grid of
    /// 11 rows of 503 values, 44 KB, on a machine whose window starts below that.)
    @Test(.enabled(if: windowIsOpen), arguments: subjects) func rowsInTheZmmPermuteWindowAtEveryPeriod(_ subject: Subject) {
        let length = (jsa_ymm_window_start() + 7) / 8 + 203
        #expect(length * 8 < jsa_ymm_window_end(), "the window is too narrow for the test's rows")
        let data = Self.seededData(count: length)
        let bad = mismatches(subject, data, inputOffsets: stride(from: 0, to: 64, by: 8), outputOffsets: [0, 8, 32, 56])
        let allMatch = bad.isEmpty
        #expect(allMatch, "\(subject.testDescription): \(bad.count) of \(64 * 32) placements differ from scalar, first \(bad.prefix(3))")
    }

    /// Values where a different order or a fused multiply-add would round differently, at every
    /// period and every input offset that keeps doubles aligned: NaNs with payloads of both signs,
    /// signed zeros, infinities, subnormals, and pairs whose sum overflows.
    @Test(arguments: subjects) func specialValuesAtEveryPeriod(_ subject: Subject) {
        let special: [Double] = [
            .nan, -.nan, Double(bitPattern: 0x7FF8_0000_0000_0ABC), Double(bitPattern: 0xFFF4_0000_0000_0001), 0.0, -0.0,
            .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1.5, -3.25, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),
            2.2250738585072014e-308, 1e308
        ]
        let data = (0..<203).map { special[($0 * 7 + $0 / 5) % special.count] }
        let bad = mismatches(subject, data, inputOffsets: stride(from: 0, to: 64, by: 8), outputOffsets: stride(from: 0, to: 64, by: 8))
        let allMatch = bad.isEmpty
        #expect(allMatch, "\(subject.testDescription): \(bad.count) placements differ from scalar, first \(bad.prefix(3))")
    }

    /// The placements where `subject` differs from scalar, bit for bit, over every period 1-64.
    func mismatches(
        _ subject: Subject, _ data: [Double], inputOffsets: some Sequence<Int>, outputOffsets: some Sequence<Int>
    ) -> [String] {
        let count = data.count
        let bytes = count * 8
        let input = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        let output = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        let expected = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { [input, output, expected].forEach { $0.deallocate() } }
        var mismatches: [String] = []
        for period in 1...64 {
            let status = data.withUnsafeBufferPointer { source in
                jsa_row_scalar(source.baseAddress, count, 0, period, UnsafeMutablePointer(OpaquePointer(expected)))
            }
            #expect(status == 0)
            for inputOffset in inputOffsets {
                data.withUnsafeBytes { (input + inputOffset).copyMemory(from: $0.baseAddress!, byteCount: bytes) }
                for outputOffset in outputOffsets {
                    (output + outputOffset).initializeMemory(as: UInt8.self, repeating: 0xA5, count: bytes)
                    let status = subject.row(
                        UnsafePointer(OpaquePointer(input + inputOffset)), count, period,
                        UnsafeMutablePointer(OpaquePointer(output + outputOffset)))
                    if status != 0 || memcmp(output + outputOffset, expected, bytes) != 0 {
                        mismatches.append("period \(period), input +\(inputOffset) B, output +\(outputOffset) B")
                    }
                }
            }
        }
        return mismatches
    }
}

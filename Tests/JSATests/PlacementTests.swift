import CJSAKernels
import Foundation
import Testing

@testable import JSA

/// Every kernel bit for bit against scalar at every placement a buffer can have: input and output
/// each at every byte offset 0-63 from a 64-byte line (doubles need not be 8-byte aligned in a
/// foreign buffer, which the kernels' peels and unaligned paths must handle), with every period
/// from 1 to 64 — the lagged operand's offset within a line is the period's, so this covers every
/// relation of the three streams to cache lines and to the SIMD blocks.
@Suite struct PlacementTests {
    /// The kernels this machine (and its cap) can run; scalar is the reference.
    static let kernels: [Kernel] = {
        guard let cpu = try? CPUFeatures.current() else { return [] }
        return [.avx2, .avx512].filter { cpu.supports($0) }
    }()

    @Test(arguments: kernels) func everyPeriodAtEveryInputAndOutputOffset(_ kernel: Kernel) {
        // 203 values: main loops of 16 (or 32) with every kind of head, tail and peel around them.
        let count = 203
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<count).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11)) * 1e-12
        }
        let bytes = count * 8
        let input = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        let output = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        let expected = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { [input, output, expected].forEach { $0.deallocate() } }
        var mismatches: [String] = []
        for period in 1...64 {
            data.withUnsafeBufferPointer { source in
                jsa_row_scalar(source.baseAddress, count, 0, period, UnsafeMutablePointer(OpaquePointer(expected)))
            }
            for inputOffset in 0..<64 {
                data.withUnsafeBytes { (input + inputOffset).copyMemory(from: $0.baseAddress!, byteCount: bytes) }
                for outputOffset in 0..<64 {
                    (output + outputOffset).initializeMemory(as: UInt8.self, repeating: 0xA5, count: bytes)
                    let status = jsa_row(
                        kernel.isa, UnsafePointer(OpaquePointer(input + inputOffset)), count, 0, period,
                        UnsafeMutablePointer(OpaquePointer(output + outputOffset)))
                    if status != 0 || memcmp(output + outputOffset, expected, bytes) != 0 {
                        mismatches.append("period \(period), input +\(inputOffset) B, output +\(outputOffset) B")
                    }
                }
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(kernel): \(mismatches.count) of \(64 * 64 * 64) placements differ from scalar, first \(mismatches.prefix(3))")
    }
}

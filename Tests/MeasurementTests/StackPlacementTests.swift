import Testing

@testable import Measurement

@Suite struct StackPlacementTests {
    /// Every draw is a multiple of 16 bytes below the span, the same for the same draw, and a span
    /// of a page meets most of its 256 offsets within a few hundred rounds.
    @Test(arguments: [16, 4096, 65536])
    func offsetsAreAlignedSeededAndSpread(spanBytes: Int) {
        let placement = StackPlacement(spanBytes: spanBytes)
        let offsets = (0..<512).map { placement.offset(draw: $0) }
        #expect(offsets.allSatisfy { $0 >= 0 && $0 < spanBytes && $0 % StackPlacement.stepBytes == 0 })
        #expect(offsets == (0..<512).map { StackPlacement(spanBytes: spanBytes).offset(draw: $0) })
        let possible = spanBytes / StackPlacement.stepBytes
        #expect(Set(offsets).count >= min(possible, 512) * 3 / 5)
    }

    @Test func aSpanOfZeroNeverMoves() {
        let placement = StackPlacement(spanBytes: 0)
        #expect((0..<64).allSatisfy { placement.offset(draw: $0) == 0 })
    }

    @Test(arguments: [(0, true), (16, true), (4096, true), (65536, true), (8, false), (-16, false), (65552, false)])
    func spansAreMultiplesOfTheStepUpToTheMaximum(spanBytes: Int, valid: Bool) {
        #expect(StackPlacement.isValid(spanBytes: spanBytes) == valid)
    }

    /// `run(bytes:)` calls its body from a frame that many bytes lower (the stack grows down), and
    /// no further than a few frames more.
    @Test(arguments: [16, 1000 / 16 * 16, 4096, 65536])
    func runMovesTheFrameDown(bytes: Int) {
        func address(movedBy bytes: Int) -> UInt {
            var address: UInt = 0
            StackPlacement.run(bytes: bytes) {
                var local = 0
                withUnsafeMutablePointer(to: &local) { address = UInt(bitPattern: $0) }
            }
            return address
        }
        let distance = Int(address(movedBy: 0)) - Int(address(movedBy: bytes))
        #expect(distance >= bytes && distance < bytes + 256, "moved \(distance) bytes for \(bytes)")
    }
}

import Testing

@testable import Sweep

/// The sweep's buffers: each at its page offset, so that no store 4K-aliases another buffer's
/// loads (except where a case means it to), filled before any timing.
struct WorkloadTests {
    static func pageOffset(_ pointer: UnsafeRawPointer?) -> Int { Int(bitPattern: UInt(bitPattern: pointer) % 4096) }

    @Test(arguments: [30, 1000, 100_000])
    func everyBufferStartsAtItsOffsetPastAPage(n: Int) throws {
        let workload = Workload(n: n, seed: 7, batchRows: 3)
        defer { withExtendedLifetime(workload) {} }
        let offsets = Workload.offsets
        #expect(Self.pageOffset(workload.input.baseAddress) == offsets.input)
        #expect(Self.pageOffset(workload.second.baseAddress) == offsets.second)
        #expect(Self.pageOffset(workload.output.baseAddress) == offsets.output)
        #expect(Self.pageOffset(workload.aliasedOutput.baseAddress) == offsets.aliased)
        #expect(Self.pageOffset(try #require(workload.batchOutput).baseAddress) == offsets.batch)
        #expect(Self.pageOffset(workload.offsetInputView.baseAddress) == offsets.offsetInput)
    }

    @Test func theInputsAreSeededAndTheOutputsZeroed() throws {
        let workload = Workload(n: 1000, seed: 7, batchRows: 2)
        defer { withExtendedLifetime(workload) {} }
        #expect(workload.input.allSatisfy { (-100..<100).contains($0) })
        #expect(Set(workload.input).count > 990)
        let again = Workload(n: 1000, seed: 7, batchRows: nil)
        withExtendedLifetime(again) { #expect(Array(workload.input) == Array(again.input)) }
        #expect(Array(workload.offsetInputView) == Array(workload.input))
        #expect(workload.output.allSatisfy { $0 == 0 } && workload.aliasedOutput.allSatisfy { $0 == 0 })
        #expect(try #require(workload.batchOutput).allSatisfy { $0 == 0 })
    }
}

import BenchModel
import Measurement
import SystemIO
import Testing

@testable import Sweep

/// The sweep's buffers: each at its page offset, so that no store 4K-aliases another buffer's
/// loads (except where a case means it to), filled before any timing.
struct WorkloadTests {
    static func pageOffset(_ pointer: UnsafeRawPointer?) -> Int { Int(bitPattern: UInt(bitPattern: pointer) % 4096) }

    @Test(arguments: [30, 1000, 100_000])
    func everyBufferStartsAtItsOffsetPastAPage(n: Int) throws {
        let workload = try Workload(n: n, seed: 7, batchRows: 3)
        defer { withExtendedLifetime(workload) {} }
        let offsets = Workload.offsets
        #expect(Self.pageOffset(workload.input.baseAddress) == offsets.input)
        #expect(Self.pageOffset(workload.second.baseAddress) == offsets.second)
        #expect(Self.pageOffset(workload.output.baseAddress) == offsets.output)
        #expect(Self.pageOffset(workload.aliasedOutput.baseAddress) == offsets.aliased)
        #expect(Self.pageOffset(try #require(workload.batchOutput).baseAddress) == offsets.batch)
        #expect(Self.pageOffset(workload.offsetInputView.baseAddress) == offsets.offsetInput)
    }

    /// A buffer the system will not map is an error that says so, not a crash: here one larger
    /// than the address space, after five that mapped (and are unmapped again).
    @Test func aBufferTheSystemWillNotMapIsAMappingFailure() {
        #expect {
            try Workload(n: 1000, seed: 7, batchRows: 1 << 47)
        } throws: { error in
            (error as? Workload.MappingFailure)?.description.hasPrefix("n = 1000: cannot map") == true
        }
    }

    /// The callgrind pass's workload holds no copy of the input for the `into_offset` cases: asking
    /// it for one is a programming error (a trap), while the same workload with it holds the input's
    /// values.
    @Test func aWorkloadWithoutTheOffsetInputHoldsNone() async throws {
        let with = try Workload(n: 1000, seed: 7, batchRows: nil)
        withExtendedLifetime(with) { #expect(Array(with.offsetInputView) == Array(with.input)) }
        await #expect(processExitsWith: .failure) {
            let without = try Workload(n: 1000, seed: 7, batchRows: nil, offsetInput: false)
            _ = without.offsetInputView
        }
    }

    /// The mappings that hold a workload's buffers, as this process's memory map lists them.
    static func mappings(_ workload: Workload) throws -> [MemoryMap.Mapping] {
        let map = try #require(MemoryMap.current())
        let buffers = [workload.input, workload.second, workload.output, workload.aliasedOutput]
        return buffers.flatMap { buffer in
            let start = UInt(bitPattern: buffer.baseAddress)
            return map.mappings(overlapping: start..<(start + UInt(buffer.count * 8)))
        }
    }

    /// `--pages huge`: every buffer from a 2 MiB boundary plus its offset within a page, in a
    /// mapping advised MADV_HUGEPAGE (`hg`); `base`: advised MADV_NOHUGEPAGE (`nh`), whatever the
    /// system's policy. The advice is what the workload controls; whether the kernel grants huge
    /// pages is its policy's, which the backing reports.
    @Test(arguments: [PageSize.base, .huge])
    func everyBufferIsAdvisedForItsPages(pages: PageSize) throws {
        let workload = try Workload(n: 300_000, seed: 7, batchRows: nil, pages: pages)
        defer { withExtendedLifetime(workload) {} }
        let mappings = try Self.mappings(workload)
        #expect(mappings.count >= 4)
        for mapping in mappings {
            #expect(mapping.flags.contains(pages == .huge ? "hg" : "nh"), "\(mapping)")
            #expect(!mapping.flags.contains(pages == .huge ? "nh" : "hg"), "\(mapping)")
        }
        if pages == .huge {
            #expect(UInt(bitPattern: workload.input.baseAddress) % UInt(2 << 20) == UInt(Workload.offsets.input))
            #expect(UInt(bitPattern: workload.output.baseAddress) % UInt(2 << 20) == UInt(Workload.offsets.output))
        }
        #expect(Self.pageOffset(workload.output.baseAddress) == Workload.offsets.output)
        let backing = try #require(workload.backing)
        #expect(backing.bytes >= 5 * 300_000 * 8)
        if pages == .base { #expect(backing.hugeBytes == 0) }
        if pages == .huge && Environment.transparentHugePagePolicy() != "never" {
            #expect(
                backing.hugeBytes > 0, "no huge page granted under policy \(String(describing: Environment.transparentHugePagePolicy()))")
        }
    }

    @Test func theInputsAreSeededAndTheOutputsZeroed() throws {
        let workload = try Workload(n: 1000, seed: 7, batchRows: 2)
        defer { withExtendedLifetime(workload) {} }
        #expect(workload.input.allSatisfy { (-100..<100).contains($0) })
        #expect(Set(workload.input).count > 990)
        let again = try Workload(n: 1000, seed: 7, batchRows: nil)
        withExtendedLifetime(again) { #expect(Array(workload.input) == Array(again.input)) }
        #expect(Array(workload.offsetInputView) == Array(workload.input))
        #expect(workload.output.allSatisfy { $0 == 0 } && workload.aliasedOutput.allSatisfy { $0 == 0 })
        #expect(try #require(workload.batchOutput).allSatisfy { $0 == 0 })
    }

    /// A size gets the placements asked for on 4 KiB pages up to `maximumPlacedBytes` of buffers,
    /// one on huge pages and beyond that.
    @Test func theSizesThatGetPlacements() {
        let cap = SweepConfiguration.maximumPlacedBytes
        #expect(Workload.placements(asked: 8, pages: .base, bytes: cap) == 8)
        #expect(Workload.placements(asked: 8, pages: .base, bytes: cap + 4096) == 1)
        #expect(Workload.placements(asked: 8, pages: .huge, bytes: 4096) == 1)
        #expect(Workload.placements(asked: 1, pages: .base, bytes: 4096) == 1)
    }

    /// Moving to the next placement keeps every buffer where the cases point and its inputs as
    /// they were; the outputs the cases wrote lie in the placement they wrote them in.
    @Test func theNextPlacementKeepsTheBuffersAndTheirInputs() throws {
        let workload = try Workload(n: 5000, seed: 7, batchRows: 2, placements: 3)
        defer { withExtendedLifetime(workload) {} }
        #expect(workload.placements == 3)
        let input = Array(workload.input)
        let addresses = [workload.input.baseAddress, workload.output.baseAddress, workload.batchOutput?.baseAddress]
        workload.output[0] = 1
        for step in 1...3 {
            try workload.nextPlacement()
            #expect([workload.input.baseAddress, workload.output.baseAddress, workload.batchOutput?.baseAddress] == addresses)
            #expect(Array(workload.input) == input && Array(workload.offsetInputView) == input)
            #expect(workload.output[0] == (step == 3 ? 1 : 0))
        }
        // Every placement's buffers are advised onto 4 KiB pages.
        for mapping in try Self.mappings(workload) { #expect(mapping.flags.contains("nh"), "\(mapping)") }
    }
}

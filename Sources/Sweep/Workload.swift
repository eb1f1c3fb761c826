#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import BenchModel
import JSA
import Measurement
import SeededRandom

/// The buffers of one size, allocated and first-touched before any timing (so warm cases pay no
/// page faults), and freed when the size is done.
///
/// Layout is controlled, not left to malloc: every buffer starts at a page boundary plus a fixed
/// offset, so input and output never share their low 12 address bits. (With equal offsets — what
/// two large mallocs give — each store to out[i] "4K-aliases" later loads of x, and the CPU
/// stalls those loads: on this project's machine that cost 10–40% at L1 and L2 sizes.) The pages
/// are chosen too (`PageSize`): 4 KiB ones, or 2 MiB transparent huge pages from a 2 MiB boundary;
/// on 4 KiB ones, which physical pages (`BufferPlacements`: copies of the buffers on frames of
/// their own, one at the buffers' addresses at a time, `nextPlacement()`).
final class Workload {
    /// Offsets from a page boundary, bytes: input, STREAM add's second operand, output, batch
    /// output, the deliberately aliased output of the `into_aliased` cases, and the input of the
    /// `into_offset` cases, off its cache line.
    static let offsets = (input: 0, second: 1024, output: 2048, batch: 3072, aliased: 0, offsetInput: 16)
    static let layoutDescription =
        "buffers start at a page boundary + offset: input 0 B, STREAM b 1024 B, "
        + "output 2048 B, batch output 3072 B, so stores never 4K-alias the loads of another buffer; "
        + "the into_aliased cases write to an output at offset 0, the same page offset as the input "
        + "(what two large mallocs give), to show what 4K aliasing costs; the into_offset cases read "
        + "a copy of the input at offset 16, off its cache line while the output is on one (where "
        + "NumPy, placing arrays at any 16 bytes, often leaves a caller), to show what that costs"

    let n: Int
    /// The pages the buffers were mapped on.
    let pages: PageSize
    /// The copies of the buffers on physical pages of their own (1: the buffers' own pages only).
    var placements: Int { placed.count }
    private let placed: BufferPlacements
    /// How much of the buffers the kernel put in huge pages once they were touched; nil where the
    /// process's memory map cannot be read.
    private(set) var backing: PageBacking?
    /// The input series: seeded values in [-100, 100), no NaN.
    let input: UnsafeMutableBufferPointer<Double>
    /// STREAM add's second operand.
    let second: UnsafeMutableBufferPointer<Double>
    /// Output of the single-series and reference cases (they run one at a time).
    let output: UnsafeMutableBufferPointer<Double>
    /// An output at the input's page offset: every store 4K-aliases loads of the input.
    let aliasedOutput: UnsafeMutableBufferPointer<Double>
    /// The input's values 16 bytes past a cache line, for the `into_offset` cases; nil in a workload
    /// made without them (the callgrind pass's), which then neither holds nor touches it.
    private let offsetInput: UnsafeMutableBufferPointer<Double>?
    /// rows × n output of the batch cases, when batches run at this size.
    let batchOutput: UnsafeMutableBufferPointer<Double>?

    /// A buffer or a placement the system would not map or move (an address-space limit, `ulimit -v`,
    /// or no memory left).
    struct MappingFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Maps and fills the buffers of size `n` on `pages`: the inputs seeded from `seed`, the
    /// outputs zeroed; with `offsetInput`, the `into_offset` cases' copy of the input too; with
    /// `batchRows`, the batch cases' output; and `placements` copies of them all on 4 KiB pages
    /// (`placements(asked:pages:bytes:)` says how many a size gets).
    /// - Throws: `MappingFailure` when a buffer or a copy cannot be mapped (those mapped before are
    ///   unmapped).
    init(n: Int, seed: UInt64, batchRows: Int?, offsetInput: Bool = true, pages: PageSize = .base, placements: Int = 1)
        throws(MappingFailure)
    {
        self.n = n
        self.pages = pages
        var mapped: [(UnsafeMutableBufferPointer<Double>, offset: Int)] = []
        func map(_ count: Int, offset: Int) throws(MappingFailure) -> UnsafeMutableBufferPointer<Double> {
            do {
                let buffer = try Self.allocate(count, offset: offset, pages: pages)
                mapped.append((buffer, offset))
                return buffer
            } catch {
                for (buffer, offset) in mapped { Self.deallocate(buffer, offset: offset, pages: pages) }
                throw MappingFailure(description: "n = \(n): \(error.description)")
            }
        }
        input = try map(n, offset: Self.offsets.input)
        second = try map(n, offset: Self.offsets.second)
        output = try map(n, offset: Self.offsets.output)
        aliasedOutput = try map(n, offset: Self.offsets.aliased)
        self.offsetInput = offsetInput ? try map(n, offset: Self.offsets.offsetInput) : nil
        batchOutput = try batchRows.map { rows throws(MappingFailure) in try map(rows * n, offset: Self.offsets.batch) }
        var rng = SplitMix64(seed: seed ^ UInt64(n))
        for i in 0..<n {
            input[i] = Double.random(in: -100..<100, using: &rng)
            second[i] = Double.random(in: -100..<100, using: &rng)
        }
        output.initialize(repeating: 0)
        aliasedOutput.initialize(repeating: 0)
        _ = self.offsetInput?.initialize(from: input)
        batchOutput?.initialize(repeating: 0)
        backing = Self.backing(of: mapped, pages: pages)
        let ranges = mapped.map { buffer, offset in
            let range = Self.mappedRange(buffer, offset: offset, pages: pages)
            return (start: UnsafeMutableRawPointer(bitPattern: range.lowerBound)!, bytes: range.count)
        }
        do {
            placed = try BufferPlacements(
                ranges: ranges, count: Self.placements(asked: placements, pages: pages, bytes: ranges.reduce(0) { $0 + $1.bytes }))
        } catch {
            for (buffer, offset) in mapped { Self.deallocate(buffer, offset: offset, pages: pages) }
            throw MappingFailure(description: "n = \(n): \(error.description)")
        }
    }

    /// The placements a size whose buffers map `bytes` gets when `asked` are: all of them on 4 KiB
    /// pages up to `SweepConfiguration.maximumPlacedBytes`, else one (on huge pages a buffer's
    /// frames are contiguous, and every colour gets its share).
    static func placements(asked: Int, pages: PageSize, bytes: Int) -> Int {
        pages == .base && bytes <= SweepConfiguration.maximumPlacedBytes ? max(1, asked) : 1
    }

    /// Moves the next placement's pages to the buffers' addresses (`BufferPlacements.advance()`);
    /// with one placement, nothing.
    /// - Throws: `MappingFailure` when the kernel refuses a move.
    func nextPlacement() throws(MappingFailure) {
        do {
            try placed.advance()
        } catch {
            throw MappingFailure(description: "n = \(n): \(error.description)")
        }
    }

    /// How the kernel backs the mappings of `buffers`, read on the stack (`HugePages`); nil where
    /// it cannot be read.
    private static func backing(of buffers: [(UnsafeMutableBufferPointer<Double>, offset: Int)], pages: PageSize) -> PageBacking? {
        withUnsafeTemporaryAllocation(of: UInt.self, capacity: 2 * buffers.count) { bounds in
            var bytes = 0
            for (k, (buffer, offset)) in buffers.enumerated() {
                let range = mappedRange(buffer, offset: offset, pages: pages)
                bounds[k] = range.lowerBound
                bounds[buffers.count + k] = range.upperBound
                bytes += range.count
            }
            let starts = UnsafeBufferPointer(rebasing: bounds[..<buffers.count])
            let ends = UnsafeBufferPointer(rebasing: bounds[buffers.count...])
            return HugePages.bytes(starts: starts, ends: ends).map { PageBacking(bytes: bytes, hugeBytes: $0) }
        }
    }

    deinit {
        Self.deallocate(input, offset: Self.offsets.input, pages: pages)
        Self.deallocate(second, offset: Self.offsets.second, pages: pages)
        Self.deallocate(output, offset: Self.offsets.output, pages: pages)
        Self.deallocate(aliasedOutput, offset: Self.offsets.aliased, pages: pages)
        if let offsetInput { Self.deallocate(offsetInput, offset: Self.offsets.offsetInput, pages: pages) }
        if let batchOutput { Self.deallocate(batchOutput, offset: Self.offsets.batch, pages: pages) }
    }

    /// `count` doubles starting `offset` bytes after a boundary of `pages` (zero-filled, not yet
    /// touched), in a mapping of their own, advised for its pages: the buffers never come from
    /// malloc's heap, so where the allocating cases' outputs lie (which decides the loop a kernel
    /// runs) does not depend on which buffers this workload holds. A huge-page buffer's mapping is
    /// cut from one a huge page longer, so that it starts on a 2 MiB boundary.
    private static func allocate(_ count: Int, offset: Int, pages: PageSize) throws(MappingFailure)
        -> UnsafeMutableBufferPointer<Double>
    {
        let bytes = mappedBytes(count, offset: offset, pages: pages)
        let slack = pages == .huge ? pages.bytes : 0
        guard let raw = mmap(nil, bytes + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            throw MappingFailure(description: "cannot map \(bytes >> 20) MiB for a buffer: \(String(cString: strerror(errno)))")
        }
        let head = slack == 0 ? 0 : (slack - Int(bitPattern: UInt(bitPattern: raw)) % slack) % slack
        let mapping = raw + head
        if head > 0 { munmap(raw, head) }
        if slack - head > 0 { munmap(mapping + bytes, slack - head) }
        // Advice the kernel cannot take (no THP support) leaves the pages as they come; the
        // backing the workload reads afterwards shows it.
        _ = madvise(mapping, bytes, pages == .huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)
        return UnsafeMutableBufferPointer(start: (mapping + offset).bindMemory(to: Double.self, capacity: count), count: count)
    }

    private static func deallocate(_ buffer: UnsafeMutableBufferPointer<Double>, offset: Int, pages: PageSize) {
        munmap(UnsafeMutableRawPointer(buffer.baseAddress!) - offset, mappedBytes(buffer.count, offset: offset, pages: pages))
    }

    /// The addresses of the mapping that holds `buffer`.
    private static func mappedRange(_ buffer: UnsafeMutableBufferPointer<Double>, offset: Int, pages: PageSize) -> Range<UInt> {
        let start = UInt(bitPattern: buffer.baseAddress!) - UInt(offset)
        return start..<(start + UInt(mappedBytes(buffer.count, offset: offset, pages: pages)))
    }

    /// Bytes mapped for `count` doubles at `offset`: whole pages of `pages` (at least one).
    private static func mappedBytes(_ count: Int, offset: Int, pages: PageSize) -> Int {
        let size = pages.bytes
        return max(1, (count * 8 + offset + size - 1) / size) * size
    }

    var inputView: UnsafeBufferPointer<Double> { UnsafeBufferPointer(input) }
    /// The `into_offset` cases' input.
    /// - Precondition: the workload was made with `offsetInput`.
    var offsetInputView: UnsafeBufferPointer<Double> {
        guard let offsetInput else { preconditionFailure("a workload made without the into_offset cases' input") }
        return UnsafeBufferPointer(offsetInput)
    }
    var secondView: UnsafeBufferPointer<Double> { UnsafeBufferPointer(second) }
}

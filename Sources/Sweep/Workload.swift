#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import JSA
import SeededRandom

/// The buffers of one size, allocated and first-touched before any timing (so warm cases pay no
/// page faults), and freed when the size is done.
///
/// Layout is controlled, not left to malloc: every buffer starts at a page boundary plus a fixed
/// offset, so input and output never share their low 12 address bits. (With equal offsets — what
/// two large mallocs give — each store to out[i] "4K-aliases" later loads of x, and the CPU
/// stalls those loads: on this project's machine that cost 10–40% at L1 and L2 sizes.)
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

    /// A buffer the system would not map (an address-space limit, `ulimit -v`, or no memory left).
    struct MappingFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Maps and fills the buffers of size `n`: the inputs seeded from `seed`, the outputs zeroed;
    /// with `offsetInput`, the `into_offset` cases' copy of the input too; with `batchRows`, the
    /// batch cases' output.
    /// - Throws: `MappingFailure` when a buffer cannot be mapped (those mapped before are unmapped).
    init(n: Int, seed: UInt64, batchRows: Int?, offsetInput: Bool = true) throws(MappingFailure) {
        self.n = n
        var mapped: [(UnsafeMutableBufferPointer<Double>, offset: Int)] = []
        func map(_ count: Int, offset: Int) throws(MappingFailure) -> UnsafeMutableBufferPointer<Double> {
            do {
                let buffer = try Self.allocate(count, offset: offset)
                mapped.append((buffer, offset))
                return buffer
            } catch {
                for (buffer, offset) in mapped { Self.deallocate(buffer, offset: offset) }
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
    }

    deinit {
        Self.deallocate(input, offset: Self.offsets.input)
        Self.deallocate(second, offset: Self.offsets.second)
        Self.deallocate(output, offset: Self.offsets.output)
        Self.deallocate(aliasedOutput, offset: Self.offsets.aliased)
        if let offsetInput { Self.deallocate(offsetInput, offset: Self.offsets.offsetInput) }
        if let batchOutput { Self.deallocate(batchOutput, offset: Self.offsets.batch) }
    }

    /// `count` doubles starting `offset` bytes after a page boundary (zero-filled, not yet touched),
    /// in a mapping of their own: the buffers never come from malloc's heap, so where the
    /// allocating cases' outputs lie (which decides the loop a kernel runs) does not depend on
    /// which buffers this workload holds.
    private static func allocate(_ count: Int, offset: Int) throws(MappingFailure) -> UnsafeMutableBufferPointer<Double> {
        let bytes = mappedBytes(count, offset: offset)
        guard let mapping = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapping != MAP_FAILED else {
            throw MappingFailure(description: "cannot map \(bytes >> 20) MiB for a buffer: \(String(cString: strerror(errno)))")
        }
        return UnsafeMutableBufferPointer(start: (mapping + offset).bindMemory(to: Double.self, capacity: count), count: count)
    }

    private static func deallocate(_ buffer: UnsafeMutableBufferPointer<Double>, offset: Int) {
        munmap(UnsafeMutableRawPointer(buffer.baseAddress!) - offset, mappedBytes(buffer.count, offset: offset))
    }

    /// Bytes mapped for `count` doubles at `offset` (mmap rounds them up to whole pages).
    private static func mappedBytes(_ count: Int, offset: Int) -> Int { max(count * 8 + offset, 1) }

    var inputView: UnsafeBufferPointer<Double> { UnsafeBufferPointer(input) }
    /// The `into_offset` cases' input.
    /// - Precondition: the workload was made with `offsetInput`.
    var offsetInputView: UnsafeBufferPointer<Double> {
        guard let offsetInput else { preconditionFailure("a workload made without the into_offset cases' input") }
        return UnsafeBufferPointer(offsetInput)
    }
    var secondView: UnsafeBufferPointer<Double> { UnsafeBufferPointer(second) }
}

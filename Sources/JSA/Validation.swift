/// The checks every JSA entry point runs before a kernel touches memory.
///
/// They run on every call, so each is a few inlined comparisons, and building an error is left to
/// a function only a failing call reaches: out of line, the checks and the kernel choice had cost
/// ~170 instructions per call (callgrind), ~15 ns — 15% of an AVX-512 call at n = 1000.
enum Validation {
    /// Index of the first non-NaN value of `data`.
    /// - Throws: `emptyInput`, `allValuesNaN`.
    @inline(__always)
    static func firstValidIndex(_ data: UnsafeBufferPointer<Double>) throws(JSAError) -> Int {
        if let x0 = data.first, x0 == x0 { return 0 }  // only NaN differs from itself: one ucomisd
        return try firstValidIndexAfterNaN(data)
    }

    @inline(never)
    private static func firstValidIndexAfterNaN(_ data: UnsafeBufferPointer<Double>) throws(JSAError) -> Int {
        guard !data.isEmpty else { throw .emptyInput }
        guard let first = data.firstIndex(where: { !$0.isNaN }) else {
            throw .allValuesNaN(length: data.count)
        }
        return first
    }

    /// Checks that `period` fits an input of `length` values whose first valid index is `first`.
    /// - Throws: `invalidPeriod` (0, negative, or > length), `notEnoughValidData`.
    @inline(__always)
    static func checkPeriod(_ period: Int, length: Int, first: Int) throws(JSAError) {
        if period >= 1 && period <= length - first { return }
        throw periodError(period, length: length, first: first)
    }

    @inline(never)
    private static func periodError(_ period: Int, length: Int, first: Int) -> JSAError {
        guard period >= 1, period <= length else { return .invalidPeriod(period: period, length: length) }
        return .notEnoughValidData(needed: period, valid: length - first)
    }

    /// Whether a direct-write call passes every check of this type with `data`'s first value a
    /// number, so that its first valid index is 0: non-empty input, a period in `1...data.count`,
    /// an output of `data.count` values that does not overlap `data`. False sends the call to the
    /// checks one by one, which say what failed (or find the first valid index after NaN). The
    /// period is checked before the first value is read, so an empty buffer is never read.
    @inline(__always)
    static func passesEveryCheckFromIndexZero(
        _ data: UnsafeBufferPointer<Double>, period: Int, output: UnsafeMutableBufferPointer<Double>
    ) -> Bool {
        guard let x = data.baseAddress, let out = output.baseAddress else { return false }
        let count = data.count
        guard period >= 1, period <= count, output.count == count, x.pointee == x.pointee else { return false }
        let input = UnsafeRawPointer(x), written = UnsafeRawPointer(out)
        return written >= input + 8 &* count || input >= written + 8 &* count  // a buffer's bytes fit in Int
    }

    /// Checks that the caller's output has exactly `expected` elements and does not overlap `input`.
    @inline(__always)
    static func checkOutput(
        _ output: UnsafeMutableBufferPointer<Double>, expected: Int, input: UnsafeBufferPointer<Double>
    ) throws(JSAError) {
        guard output.count == expected else {
            throw outputLengthError(expected: expected, got: output.count)
        }
        if let out = UnsafeRawPointer(output.baseAddress), let inp = UnsafeRawPointer(input.baseAddress),
            out < inp + 8 &* input.count && inp < out + 8 &* output.count  // a buffer's bytes fit in Int
        {
            throw .outputOverlapsInput
        }
    }

    @inline(never)
    private static func outputLengthError(expected: Int, got: Int) -> JSAError {
        .outputLengthMismatch(expected: expected, got: got)
    }

    /// `rows × length`, checked against `Int` overflow (in elements and in bytes) and against
    /// the machine's physical memory when `allocating`.
    static func batchElementCount(rows: Int, length: Int, allocating: Bool) throws(JSAError) -> Int {
        let (elements, overflow) = rows.multipliedReportingOverflow(by: length)
        let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        guard !overflow, !bytesOverflow else {
            throw .sizeOverflow(rows: rows, length: length)
        }
        if allocating, let memory = SystemMemory.physicalBytes, bytes > memory {
            throw .outputTooLarge(bytes: bytes, physicalMemory: memory)
        }
        return elements
    }
}

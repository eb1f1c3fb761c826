/// The checks every JSA entry point runs before a kernel touches memory.
enum Validation {
    /// Index of the first non-NaN value of `data`.
    /// - Throws: `emptyInput`, `allValuesNaN`.
    static func firstValidIndex(_ data: UnsafeBufferPointer<Double>) throws(JSAError) -> Int {
        guard !data.isEmpty else { throw .emptyInput }
        guard let first = data.firstIndex(where: { !$0.isNaN }) else {
            throw .allValuesNaN(length: data.count)
        }
        return first
    }

    /// Checks that `period` fits an input of `length` values whose first valid index is `first`.
    /// - Throws: `invalidPeriod` (0, negative, or > length), `notEnoughValidData`.
    static func checkPeriod(_ period: Int, length: Int, first: Int) throws(JSAError) {
        guard period >= 1, period <= length else {
            throw .invalidPeriod(period: period, length: length)
        }
        let valid = length - first
        guard period <= valid else {
            throw .notEnoughValidData(needed: period, valid: valid)
        }
    }

    /// Checks that the caller's output has exactly `expected` elements and does not overlap `input`.
    static func checkOutput(
        _ output: UnsafeMutableBufferPointer<Double>, expected: Int, input: UnsafeBufferPointer<Double>
    ) throws(JSAError) {
        guard output.count == expected else {
            throw .outputLengthMismatch(expected: expected, got: output.count)
        }
        if let out = output.baseAddress, let inp = input.baseAddress {
            let outEnd = out + output.count
            let inEnd = UnsafeMutablePointer(mutating: inp) + input.count
            if out < inEnd && UnsafeMutablePointer(mutating: inp) < outEnd {
                throw .outputOverlapsInput
            }
        }
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

internal import CJSAKernels
import Dispatch

/// The output of a batch: one row of `length` values per period, row-major.
public struct JSABatch: Hashable, Sendable {
    /// `periods.count × length` values; row `r` is JSA with period `periods[r]`.
    public let values: [Double]
    /// The period of each row.
    public let periods: [Int]
    /// Values per row (the input length).
    public let length: Int

    public var rows: Int { periods.count }

    /// Whether a batch of `rows` rows of `length` values asked for `parallel` computes its rows
    /// on several threads: where it has two rows or more and its whole output is at least 1 MiB
    /// (`parallelMinimumBytes`); a smaller one runs on the calling thread.
    public static func runsInParallel(rows: Int, length: Int) -> Bool {
        let (elements, overflow) = rows.multipliedReportingOverflow(by: length)
        return rows > 1 && (overflow || elements >= parallelMinimumBytes / MemoryLayout<Double>.stride)
    }

    /// The smallest whole output, in bytes, whose rows `parallel` spreads over the cores: a smaller
    /// batch runs on the calling thread, where waking another costs more than it saves (on the AMD
    /// Zen 5 guest 31 rows of n = 1000 and 4096, 0.25 and 1 MB, took 1.33–1.38× one thread's time
    /// on two; docs/kernels.md, "Parallel batches").
    public static let parallelMinimumBytes = 1 << 20

    /// Row `r`, as `jsa(data, period: periods[r])` would return it.
    public func row(_ r: Int) -> ArraySlice<Double> {
        values[(r * length)..<((r + 1) * length)]
    }
}

/// JSA of `data` for every period of `periods`, into a new `rows × data.count` matrix (advised
/// huge pages where it holds 4 MiB or more, as `jsa`'s output).
///
/// - Parameter parallel: compute rows concurrently on all cores (`DispatchQueue.concurrentPerform`)
///   where the whole output is at least 1 MiB; a smaller batch runs on the calling thread, where
///   waking another thread costs more than it saves (docs/kernels.md, "Parallel batches").
/// - Throws: `JSAError` from validation, before any kernel runs: every period must be in
///   `1...data.count` and the largest must fit the valid data; `rows × length` must fit memory.
public func jsaBatch(
    _ data: UnsafeBufferPointer<Double>, periods: PeriodRange, kernel: Kernel = .auto, parallel: Bool = false
) throws(JSAError) -> JSABatch {
    let plan = try BatchPlan(data, periods: periods, kernel: kernel, allocating: true)
    let values = [Double](unsafeUninitializedCapacity: plan.elements) { buffer, initialized in
        jsa_advise_new_output(buffer.baseAddress, plan.elements * MemoryLayout<Double>.stride)
        plan.run(data, into: buffer, parallel: parallel)
        initialized = plan.elements
    }
    return JSABatch(values: values, periods: Array(periods), length: data.count)
}

/// JSA batch of `data` into a new matrix; see the `UnsafeBufferPointer` form.
public func jsaBatch(
    _ data: [Double], periods: PeriodRange, kernel: Kernel = .auto, parallel: Bool = false
) throws(JSAError) -> JSABatch {
    try data.withUnsafeBufferPointer { (input) throws(JSAError) in
        try jsaBatch(input, periods: periods, kernel: kernel, parallel: parallel)
    }
}

/// JSA batch of `data` written into the caller's `output` of exactly `periods.count × data.count`
/// values, row-major, not overlapping `data`. Allocates nothing on one thread.
public func jsaBatchInto(
    _ data: UnsafeBufferPointer<Double>, periods: PeriodRange, kernel: Kernel = .auto, parallel: Bool = false,
    output: UnsafeMutableBufferPointer<Double>
) throws(JSAError) {
    let plan = try BatchPlan(data, periods: periods, kernel: kernel, allocating: false)
    try Validation.checkOutput(output, expected: plan.elements, input: data)
    plan.run(data, into: output, parallel: parallel)
}

/// A validated batch call.
struct BatchPlan {
    let kernel: Kernel
    let first: Int
    let periods: PeriodRange
    let elements: Int

    init(_ data: UnsafeBufferPointer<Double>, periods: PeriodRange, kernel: Kernel, allocating: Bool) throws(JSAError) {
        self.kernel = try kernel.resolved()
        self.first = try Validation.firstValidIndex(data)
        // The smallest period catches 0; the largest catches "> length" and "> valid data".
        try Validation.checkPeriod(periods.minimum, length: data.count, first: first)
        try Validation.checkPeriod(periods.maximum, length: data.count, first: first)
        self.periods = periods
        self.elements = try Validation.batchElementCount(rows: periods.count, length: data.count, allocating: allocating)
    }

    func run(_ data: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>, parallel: Bool) {
        let length = data.count
        if parallel && JSABatch.runsInParallel(rows: periods.count, length: length) {
            let rows = RowTask(kernel: kernel, input: data, first: first, output: output, rows: periods.count)
            DispatchQueue.concurrentPerform(iterations: periods.count) { r in
                rows.run(row: r, period: periods[r])
            }
        } else {
            let status = jsa_rows(
                kernel.isa, data.baseAddress, length, first, periods.start, periods.stride, periods.count,
                output.baseAddress)
            assert(status == 0, "resolved kernel \(kernel) has no C implementation")
        }
    }
}

/// One row of a parallel batch. The buffers outlive `concurrentPerform`, and each row writes only
/// its own `length` elements, so sharing them across threads is safe. The whole batch's output
/// decides whether a row streams, as on one thread (`jsa_rows_of_batch`).
private struct RowTask: @unchecked Sendable {
    let kernel: Kernel
    let input: UnsafeBufferPointer<Double>
    let first: Int
    let output: UnsafeMutableBufferPointer<Double>
    /// Rows in the whole batch.
    let rows: Int

    func run(row: Int, period: Int) {
        let length = input.count
        let status = jsa_rows_of_batch(
            kernel.isa, input.baseAddress, length, first, period, 0, 1, rows * length * MemoryLayout<Double>.stride,
            output.baseAddress! + row * length)
        assert(status == 0, "resolved kernel \(kernel) has no C implementation")
    }
}

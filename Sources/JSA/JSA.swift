internal import CJSAKernels

// The single-series API: allocating `jsa` and direct-write `jsaInto`.
//
//   out[i] = NaN                            for i <  first + period
//   out[i] = (x[i] + x[i - period]) * 0.5   for i >= first + period
//
// where `first` is the index of the first non-NaN input. float64 only.

/// The default JSA period.
public let defaultPeriod = 30

/// JSA of `data` into a new array of `data.count` values.
///
/// - Parameters:
///   - period: the lag, in elements; `1...data.count`, and at most the number of values from
///     the first non-NaN one on.
///   - kernel: the variant to run; `auto` picks the widest this CPU supports.
/// - Throws: `JSAError` from validation, before any kernel runs.
public func jsa(_ data: UnsafeBufferPointer<Double>, period: Int = defaultPeriod, kernel: Kernel = .auto) throws(JSAError) -> [Double] {
    let plan = try SeriesPlan(data, period: period, kernel: kernel)
    return [Double](unsafeUninitializedCapacity: data.count) { buffer, initialized in
        plan.run(data, into: buffer)
        initialized = data.count
    }
}

/// JSA of `data` into a new array; see ``jsa(_:period:kernel:)-(UnsafeBufferPointer<Double>,_,_)``.
public func jsa(_ data: [Double], period: Int = defaultPeriod, kernel: Kernel = .auto) throws(JSAError) -> [Double] {
    try data.withUnsafeBufferPointer { (buffer) throws(JSAError) in try jsa(buffer, period: period, kernel: kernel) }
}

/// JSA of `data` written into the caller's `output` (exactly `data.count` values, not
/// overlapping `data`). Allocates nothing.
///
/// - Throws: `JSAError` from validation, before anything is written.
public func jsaInto(
    _ data: UnsafeBufferPointer<Double>, period: Int = defaultPeriod, kernel: Kernel = .auto,
    output: UnsafeMutableBufferPointer<Double>
) throws(JSAError) {
    let plan = try SeriesPlan(data, period: period, kernel: kernel)
    try Validation.checkOutput(output, expected: data.count, input: data)
    plan.run(data, into: output)
}

/// JSA of `data` written into the caller's array `output`, which must already hold
/// `data.count` values. Allocates nothing when `output` is uniquely referenced.
public func jsaInto(
    _ data: [Double], period: Int = defaultPeriod, kernel: Kernel = .auto, output: inout [Double]
) throws(JSAError) {
    try data.withUnsafeBufferPointer { (input) throws(JSAError) in
        try output.withUnsafeMutableBufferPointer { (out) throws(JSAError) in
            try jsaInto(input, period: period, kernel: kernel, output: out)
        }
    }
}

/// A validated single-series call: the resolved kernel and the first valid index.
struct SeriesPlan {
    let kernel: Kernel
    let first: Int
    let period: Int

    @inline(__always)
    init(_ data: UnsafeBufferPointer<Double>, period: Int, kernel: Kernel) throws(JSAError) {
        self.kernel = try kernel.resolved()
        self.first = try Validation.firstValidIndex(data)
        try Validation.checkPeriod(period, length: data.count, first: first)
        self.period = period
    }

    /// Runs the kernel; `output` holds `data.count` elements (checked by the caller).
    func run(_ data: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        let status = jsa_row(kernel.isa, data.baseAddress, data.count, first, period, output.baseAddress)
        assert(status == 0, "resolved kernel \(kernel) has no C implementation")
    }
}

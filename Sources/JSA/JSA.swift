internal import CJSAKernels

// The single-series API: allocating `jsa` and direct-write `jsaInto`.
//
//   out[i] = NaN                            for i <  first + period
//   out[i] = (x[i] + x[i - period]) * 0.5   for i >= first + period
//
// where `first` is the index of the first non-NaN input. float64 only.

/// The default JSA period.
public let defaultPeriod = 30

/// JSA of `data` into a new array of `data.count` values. An array of 4 MiB or more is advised
/// huge pages before it is written (`jsa_advise_new_output`; docs/kernels.md, "The pages of a new
/// output").
///
/// - Parameters:
///   - period: the lag, in elements; `1...data.count`, and at most the number of values from
///     the first non-NaN one on.
///   - kernel: the variant to run; `auto` picks the widest this CPU supports.
/// - Throws: `JSAError` from validation, before any kernel runs.
public func jsa(_ data: UnsafeBufferPointer<Double>, period: Int = defaultPeriod, kernel: Kernel = .auto) throws(JSAError) -> [Double] {
    let plan = try SeriesPlan(data, period: period, kernel: kernel)
    // Not `Array(unsafeUninitializedCapacity:)`: it allocates through a stdlib function that is
    // never inlined nor specialized, so every call looked up `_ContiguousArrayStorage<Double>`'s
    // metadata in the runtime's cache (~330 instructions per call under callgrind, more than the
    // malloc and free it wraps). Appending a sequence allocates through code specialized here, and
    // `KernelOutput` writes the kernel's output straight into the new storage.
    var output: [Double] = []
    output.append(contentsOf: KernelOutput(plan: plan, data: data))
    return output
}

/// The output of a validated call as a sequence whose bulk copy (`_copyContents`, which
/// `Array.append(contentsOf:)` calls on its new storage) runs the kernel there. Iterating it one
/// element at a time computes the same IEEE operations in Swift.
struct KernelOutput: Sequence {
    let plan: SeriesPlan
    let data: UnsafeBufferPointer<Double>

    var underestimatedCount: Int { data.count }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Double>) -> (Iterator, Int) {
        guard buffer.count >= data.count else {
            return (makeIterator(), buffer.initialize(from: Array(self)).1)
        }
        plan.run(data, intoNew: UnsafeMutableBufferPointer(rebasing: buffer[..<data.count]))
        return (Iterator(output: self, index: data.count), data.count)
    }

    func makeIterator() -> Iterator { Iterator(output: self, index: 0) }

    struct Iterator: IteratorProtocol {
        let output: KernelOutput
        var index: Int

        mutating func next() -> Double? {
            guard index < output.data.count else { return nil }
            defer { index += 1 }
            let start = output.plan.first + output.plan.period
            return index < start ? .nan : (output.data[index] + output.data[index - output.plan.period]) * 0.5
        }
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
    // The hot path: a kernel name resolved before and a call that passes every check with its
    // first value a number, tested as one conjunction that builds no error; every other call
    // checks each condition in turn. With the checks one by one on every call (their errors
    // carried out of this frame), `into avx2` at n = 1000 took 97.0 ns per call against 96.4-96.5
    // this way, `bare_c` 93.6 both (AMD EPYC Zen 3 guest, 2026-12-07, `jsa-bench sweep --sizes 1000
    // --kernels avx2 --no-python`, three runs of each build alternating at the host's fast level).
    let isa = kernel.cachedISA
    if isa != JSA_UNRESOLVED, Validation.passesEveryCheckFromIndexZero(data, period: period, output: output) {
        jsa_row(jsa_isa(rawValue: UInt32(truncatingIfNeeded: isa)), data.baseAddress, data.count, 0, period, output.baseAddress)
        return
    }
    try jsaIntoCheckingEach(data, period: period, kernel: kernel, output: output)
}

/// `jsaInto` with each check in turn: the first call of a kernel name in the process, an input
/// that starts with NaN, and every call that fails a check (the error says which).
@inline(never)
private func jsaIntoCheckingEach(
    _ data: UnsafeBufferPointer<Double>, period: Int, kernel: Kernel, output: UnsafeMutableBufferPointer<Double>
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

/// A validated single-series call: the resolved kernel's C tag and the first valid index.
struct SeriesPlan {
    let isa: jsa_isa
    let first: Int
    let period: Int

    @inline(__always)
    init(_ data: UnsafeBufferPointer<Double>, period: Int, kernel: Kernel) throws(JSAError) {
        self.isa = try kernel.resolvedISA()
        self.first = try Validation.firstValidIndex(data)
        try Validation.checkPeriod(period, length: data.count, first: first)
        self.period = period
    }

    /// Runs the kernel; `output` holds `data.count` elements (checked by the caller).
    func run(_ data: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        let status = jsa_row(isa, data.baseAddress, data.count, first, period, output.baseAddress)
        assert(status == 0, "resolved kernel \(Kernel(isa: isa)) has no C implementation")
    }

    /// Runs the kernel into a new `output` of `data.count` elements that nothing has written yet,
    /// advised huge pages first where it holds 4 MiB or more (`jsa_row_new_output`).
    func run(_ data: UnsafeBufferPointer<Double>, intoNew output: UnsafeMutableBufferPointer<Double>) {
        let status = jsa_row_new_output(isa, data.baseAddress, data.count, first, period, output.baseAddress)
        assert(status == 0, "resolved kernel \(Kernel(isa: isa)) has no C implementation")
    }
}

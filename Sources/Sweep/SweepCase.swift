import BenchModel
import CJSABench
import CJSAKernels
import JSA
import JSAConformance
import Measurement

/// A case of a sweep before it is measured: what the results will say about it, the call to time,
/// and the check of its output that must pass before it is timed.
struct SweepCase {
    /// The identity and byte model of the case (samples and statistics still empty).
    var result: CaseResult
    /// One call.
    let body: () -> Void
    /// Runs the call once and compares its output with the reference: nil when bit-identical,
    /// otherwise the first difference.
    let verify: () -> String?
    /// The buffers `body` and `verify` point into, held so that they live as long as the case.
    let buffers: Workload
}

/// The scalar JSA of a size's input, which the native cases' outputs must equal bit for bit:
/// computed once, when the first case verifies (a measuring process that takes its cases as an
/// earlier one verified them never computes it: at n = 39321600, 0.6 s).
final class ScalarReference {
    private let compute: () -> [Double]
    private(set) lazy var values: [Double] = compute()

    init(_ compute: @escaping () -> [Double]) {
        self.compute = compute
    }
}

/// Builds the cases of one size.
struct SweepCaseFactory {
    let configuration: SweepConfiguration
    let caches: CacheTopology
    let workload: Workload
    let threads: Int

    /// The byte model, stated in the results JSON.
    static let byteModel: [String: String] = [
        "native": "16 B/element: read x[i] (8 B) + write out[i] (8 B); the lagged x[i-period] read hits cache. "
            + "With write-allocate (no streaming stores) the memory traffic is 24 B/element; GB/s uses 16.",
        "batch": "16 B per output element (rows × n): x re-read per row from cache, each row written once.",
        "memcpy": "16 B/element: read 8 B + write 8 B.",
        "copy_loop": "16 B/element: read 8 B + write 8 B, a plain loop of the widest vectors (never a memcpy call).",
        "stream_add": "24 B/element: read a[i] and b[i] (16 B) + write c[i] (8 B).",
        "level": "the smallest cache level holding the case's working set (native: 16 B/element).",
        "layout": Workload.layoutDescription
    ]

    var n: Int { workload.n }

    init(configuration: SweepConfiguration, caches: CacheTopology, workload: Workload, threads: Int) {
        self.configuration = configuration
        self.caches = caches
        self.workload = workload
        self.threads = threads
    }

    /// The factory of a sweep's size `n`: a fresh workload, with batch rows when the batch fits
    /// (`note` hears why it does not).
    /// - Throws: `Workload.MappingFailure` when the system will not map the size's buffers.
    init(configuration: SweepConfiguration, n: Int, caches: CacheTopology, threads: Int, note: (Diagnostic) -> Void)
        throws(Workload.MappingFailure)
    {
        let rows = Self.batchRows(configuration: configuration, n: n, note: note)
        self.init(
            configuration: configuration, caches: caches,
            workload: try Workload(
                n: n, seed: configuration.seed, batchRows: rows, pages: configuration.pages, placements: configuration.placements),
            threads: threads)
    }

    /// Rows of the batch cases at `n`, or nil when the batch does not fit the data or the memory cap.
    static func batchRows(configuration: SweepConfiguration, n: Int, note: (Diagnostic) -> Void) -> Int? {
        let periods = configuration.batchPeriods
        guard periods.maximum <= n else {
            note(Diagnostic(.info, "batch_skipped", "n=\(n): batch skipped, its largest period \(periods.maximum) exceeds n"))
            return nil
        }
        let bytes = periods.count * n * MemoryLayout<Double>.stride
        guard bytes <= configuration.maximumBatchOutputBytes else {
            note(
                Diagnostic(
                    .info, "batch_skipped",
                    "n=\(n): batch skipped, its output of \(bytes >> 20) MiB exceeds the \(configuration.maximumBatchOutputBytes >> 20) MiB cap"
                ))
            return nil
        }
        return periods.count
    }

    /// Every case at this size, in the order they are interleaved, verified against the scalar
    /// reference of this size's input (computed when a case first verifies).
    func cases() -> [SweepCase] {
        let input = workload.input
        let period = configuration.period
        return cases(expected: ScalarReference { ReferenceJSA.jsa(Array(input), period: period) })
    }

    /// The native variants timed for every kernel.
    static let nativeVariants: [NativeVariant] = [.alloc, .into, .intoAliased, .intoOffset, .bareC]

    /// The most cases one size has with `kernels` kernels: each native variant of each, the two
    /// batch cases, and the five references (memcpy, copy loop, STREAM add, malloc/free, Swift array).
    static func maximumCases(kernels: Int) -> Int {
        nativeVariants.count * kernels + 2 + 5
    }

    /// Every case at this size, in the order they are interleaved.
    func cases(expected: ScalarReference) -> [SweepCase] {
        var cases: [SweepCase] = []
        for variant in Self.nativeVariants {
            for kernel in configuration.kernels {
                cases.append(native(variant, kernel: kernel, expected: expected))
            }
        }
        if workload.batchOutput != nil {
            cases.append(batch(parallel: false))
            cases.append(batch(parallel: true))
        }
        cases.append(memcpy())
        cases.append(copyLoop())
        cases.append(streamAdd())
        cases.append(mallocFree())
        cases.append(swiftArray())
        return cases
    }

    func native(_ variant: NativeVariant, kernel: Kernel, expected: ScalarReference) -> SweepCase {
        let period = configuration.period
        let input = variant == .intoOffset ? workload.offsetInputView : workload.inputView
        let output = variant == .intoAliased ? workload.aliasedOutput : workload.output
        let call: () throws -> [Double]?
        switch variant {
        case .alloc:
            call = { try jsa(input, period: period, kernel: kernel) }
        case .into, .intoAliased, .intoOffset:
            call = {
                try jsaInto(input, period: period, kernel: kernel, output: output)
                return nil
            }
        case .bareC:
            let isa = BareC.isa(of: kernel)
            call = {
                guard let isa, jsa_bench_bare_into(isa, input.baseAddress, input.count, period, output.baseAddress, output.count) == 0
                else {
                    throw BareC.Failure()
                }
                return nil
            }
        }
        // The timed bodies call the API directly (no closure in between, whose call and Optional
        // result callgrind counts as part of the case).
        let body: () -> Void
        switch variant {
        case .alloc:
            body = { blackHole(try? jsa(input, period: period, kernel: kernel)) }
        case .into, .intoAliased, .intoOffset:
            body = { _ = try? jsaInto(input, period: period, kernel: kernel, output: output) }
        case .bareC:
            let isa = BareC.isa(of: kernel) ?? JSA_ISA_SCALAR
            body = { _ = jsa_bench_bare_into(isa, input.baseAddress, input.count, period, output.baseAddress, output.count) }
        }
        let verify = { () -> String? in
            do {
                output.initialize(repeating: 0)
                let reference = expected.values
                if let allocated = try call() {
                    return BitComparison.firstDifference(expected: reference, actual: allocated)
                }
                return reference.withUnsafeBufferPointer {
                    BitComparison.firstDifference(expected: $0, actual: UnsafeBufferPointer(output))
                }
            } catch {
                return "threw: \(error)"
            }
        }
        let result = template(
            .native(variant, KernelName(kernel)), kernel: kernel,
            period: period, periods: nil, threads: 1, bytesPerCall: 16 * n, workingSetBytes: 16 * n)
        return SweepCase(result: result, body: body, verify: verify, buffers: workload)
    }

    func batch(parallel: Bool) -> SweepCase {
        let periods = configuration.batchPeriods
        let input = workload.inputView
        let output = workload.batchOutput!
        let n = self.n
        let body: () -> Void = {
            _ = try? jsaBatchInto(input, periods: periods, kernel: .auto, parallel: parallel, output: output)
        }
        let verify = { () -> String? in
            do {
                output.initialize(repeating: 0)
                try jsaBatchInto(input, periods: periods, kernel: .auto, parallel: parallel, output: output)
                for (row, period) in periods.enumerated() {
                    let expected = try jsa(input, period: period, kernel: .scalar)
                    let actual = UnsafeBufferPointer(rebasing: output[(row * n)..<((row + 1) * n)])
                    if let difference = expected.withUnsafeBufferPointer({ BitComparison.firstDifference(expected: $0, actual: actual) }) {
                        return "row \(row) (period \(period)): \(difference)"
                    }
                }
                return nil
            } catch {
                return "threw: \(error)"
            }
        }
        let rows = periods.count
        let variant = parallel ? BatchVariant.allCores : .singleThread
        let result = template(
            .batch(variant), periodRange: (periods.start, periods.end, periods.step),
            kernel: .auto, period: periods.start,
            periods: Array(periods), threads: parallel && JSABatch.runsInParallel(rows: rows, length: n) ? threads : 1,
            bytesPerCall: 16 * n * rows, workingSetBytes: 8 * n * (rows + 1))
        return SweepCase(result: result, body: body, verify: verify, buffers: workload)
    }

    func memcpy() -> SweepCase {
        let input = workload.inputView
        let output = workload.output
        let result = template(
            .reference(.memcpy), kernel: nil, period: nil,
            periods: nil, threads: 1, bytesPerCall: ReferenceKernels.memcpyBytesPerElement * n,
            workingSetBytes: ReferenceKernels.memcpyBytesPerElement * n)
        let verify = { () -> String? in
            output.initialize(repeating: 0)
            ReferenceKernels.copy(input, into: output)
            return BitComparison.firstDifference(expected: input, actual: UnsafeBufferPointer(output))
        }
        return SweepCase(result: result, body: { ReferenceKernels.copy(input, into: output) }, verify: verify, buffers: workload)
    }

    func copyLoop() -> SweepCase {
        let input = workload.inputView
        let output = workload.output
        let result = template(
            .reference(.copyLoop), kernel: nil, period: nil,
            periods: nil, threads: 1, bytesPerCall: ReferenceKernels.memcpyBytesPerElement * n,
            workingSetBytes: ReferenceKernels.memcpyBytesPerElement * n)
        let verify = { () -> String? in
            output.initialize(repeating: 0)
            ReferenceKernels.copyLoop(input, into: output)
            return BitComparison.firstDifference(expected: input, actual: UnsafeBufferPointer(output))
        }
        return SweepCase(result: result, body: { ReferenceKernels.copyLoop(input, into: output) }, verify: verify, buffers: workload)
    }

    func streamAdd() -> SweepCase {
        let a = workload.inputView
        let b = workload.secondView
        let c = workload.output
        let result = template(
            .reference(.streamAdd), kernel: nil, period: nil,
            periods: nil, threads: 1, bytesPerCall: ReferenceKernels.streamAddBytesPerElement * n,
            workingSetBytes: ReferenceKernels.streamAddBytesPerElement * n)
        let verify = { () -> String? in
            c.initialize(repeating: 0)
            ReferenceKernels.streamAdd(a, b, into: c)
            let sums = zip(a, b).map { $0 + $1 }
            return sums.withUnsafeBufferPointer { BitComparison.firstDifference(expected: $0, actual: UnsafeBufferPointer(c)) }
        }
        return SweepCase(result: result, body: { ReferenceKernels.streamAdd(a, b, into: c) }, verify: verify, buffers: workload)
    }

    /// malloc and free of n doubles: what `jsa` must pay to allocate its output (it moves no bytes).
    func mallocFree() -> SweepCase {
        let n = self.n
        let result = template(
            .reference(.mallocFree), kernel: nil, period: nil, periods: nil, threads: 1,
            bytesPerCall: 0, workingSetBytes: 8 * n)
        return SweepCase(result: result, body: { ReferenceKernels.mallocFree(n) }, verify: { nil }, buffers: workload)
    }

    /// A Swift `[Double]` of n created and released: what any function returning a new array of n
    /// pays (malloc and free plus the Swift runtime's object lifecycle; it moves no bytes).
    func swiftArray() -> SweepCase {
        let n = self.n
        let result = template(
            .reference(.swiftArray), kernel: nil, period: nil, periods: nil, threads: 1,
            bytesPerCall: 0, workingSetBytes: 8 * n)
        return SweepCase(result: result, body: { ReferenceKernels.swiftArray(n) }, verify: { nil }, buffers: workload)
    }

    private func template(
        _ kind: CaseKind, periodRange: (start: Int, end: Int, step: Int)? = nil, kernel: Kernel?, period: Int?, periods: [Int]?,
        threads: Int, bytesPerCall: Int, workingSetBytes: Int
    ) -> CaseResult {
        CaseResult(
            id: kind.id(n: n, period: period, periodRange: periodRange), family: kind.family, variant: kind.variant,
            kernel: kernel?.rawValue,
            resolvedKernel: kernel.flatMap { try? $0.resolved().rawValue }, n: n, period: period, periods: periods,
            threads: threads, bytesPerCall: bytesPerCall, workingSetBytes: workingSetBytes,
            level: caches.level(ofWorkingSet: workingSetBytes).rawValue, iterationsPerSample: 0, samplesNs: [],
            samplesRequested: configuration.samples, stats: nil, perElementNs: nil, gbps: nil, verified: false,
            verificationError: nil, rusagePerCall: ResourceUsage())
    }
}

/// The bare C reference's kernel choice: the `jsa_isa` a Swift `Kernel` resolves to here.
enum BareC {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the bare C call refused its arguments" }
    }

    static func isa(of kernel: Kernel) -> jsa_isa? {
        switch try? kernel.resolved() {
        case .scalar?: return JSA_ISA_SCALAR
        case .avx2?: return JSA_ISA_AVX2
        case .avx512?: return JSA_ISA_AVX512
        case .auto?, nil: return nil
        }
    }
}

extension KernelName {
    /// The results' spelling of a JSA kernel.
    init(_ kernel: Kernel) {
        self = KernelName(rawValue: kernel.rawValue)!
    }
}

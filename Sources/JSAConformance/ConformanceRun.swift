#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import JSA

/// The outcome of one suite for one kernel.
public enum SuiteOutcome: Hashable, Sendable {
    /// Every case bit-identical; `cases` were run.
    case passed(cases: Int)
    /// `failures` of `cases` differed or threw; `firstFailure` describes the first.
    case failed(cases: Int, failures: Int, firstFailure: String)
    /// The kernel cannot run here; `reason` says why.
    case notRun(reason: String)
}

/// The results of running conformance suites over kernels: what `jsa-bench verify` prints.
public struct ConformanceRun: Sendable {
    /// The kernels, in column order (`auto` last), and what each resolved to or why it could not run.
    public let kernels: [Kernel]
    public let suites: [String]
    /// `outcomes[s][k]`: suite `s`, kernel `kernels[k]`.
    public let outcomes: [[SuiteOutcome]]
    /// What `auto` resolved to, if it could resolve.
    public let autoResolvesTo: Kernel?
    public let cpu: CPUFeatures

    /// True when every kernel that ran passed every case.
    public var passed: Bool {
        outcomes.allSatisfy { row in
            row.allSatisfy { if case .failed = $0 { return false } else { return true } }
        }
    }

    /// Kernels that ran (were supported here).
    public var kernelsRun: [Kernel] {
        kernels.indices.filter { k in outcomes.contains { if case .notRun = $0[k] { false } else { true } } }
            .map { kernels[$0] }
    }

    /// Runs every suite with every kernel of `Kernel.allCases` that this machine supports
    /// (`CPUFeatures.current()`, so `JSA_DISABLE_CPU_FEATURES` applies).
    ///
    /// The expected output of `scalar` is `ReferenceJSA` (the definition); the expected output of
    /// every other kernel is `scalar`'s, compared bit for bit (`Double.bitPattern`), so NaN
    /// payloads and the sign of zero count.
    /// - Throws: `JSAError.invalidCPUFeatureList` when the cap variable is malformed.
    public static func run(_ suites: [ConformanceSuite]) throws(JSAError) -> ConformanceRun {
        let cpu = try CPUFeatures.current()
        let kernels: [Kernel] = Kernel.concrete + [.auto]
        let outcomes = suites.map { suite in
            let expectedByCase = suite.cases.map { try? $0.run(kernel: .scalar) }
            return kernels.map { kernel in
                if let reason = cpu.reasonUnsupported(kernel) {
                    return SuiteOutcome.notRun(reason: reason)
                }
                var failures = 0
                var firstFailure: String?
                for (index, testCase) in suite.cases.enumerated() {
                    let expected = kernel == .scalar ? testCase.reference() : expectedByCase[index]
                    if let problem = check(testCase, kernel: kernel, expected: expected) {
                        failures += 1
                        firstFailure = firstFailure ?? "\(kernel) / \(suite.name) / \(testCase.label): \(problem)"
                    }
                }
                if let firstFailure {
                    return .failed(cases: suite.cases.count, failures: failures, firstFailure: firstFailure)
                }
                return .passed(cases: suite.cases.count)
            }
        }
        return ConformanceRun(
            kernels: kernels, suites: suites.map(\.name), outcomes: outcomes,
            autoResolvesTo: try? Kernel.auto.resolved(on: cpu), cpu: cpu)
    }

    /// Nil when `testCase` run with `kernel` equals `expected` bit for bit; otherwise what differs.
    static func check(_ testCase: ConformanceCase, kernel: Kernel, expected: [Double]?) -> String? {
        guard let expected else { return "the scalar kernel threw, so there is nothing to compare with" }
        let actual: [Double]
        do {
            actual = try testCase.run(kernel: kernel)
        } catch {
            return "threw \(error)"
        }
        return BitComparison.firstDifference(expected: expected, actual: actual)
    }
}

/// Bit-for-bit comparison of double arrays.
public enum BitComparison {
    /// Nil when both arrays have the same length and the same bit pattern at every index;
    /// otherwise the first difference, with both values and their bits.
    public static func firstDifference(expected: [Double], actual: [Double]) -> String? {
        expected.withUnsafeBufferPointer { e in
            actual.withUnsafeBufferPointer { a in firstDifference(expected: e, actual: a) }
        }
    }

    /// The same comparison over buffers, so that a large output is compared where it lies
    /// (the sweep verifies outputs of hundreds of MiB; a copy would cost more than the check).
    public static func firstDifference(expected: UnsafeBufferPointer<Double>, actual: UnsafeBufferPointer<Double>) -> String? {
        guard expected.count == actual.count else {
            return "length \(actual.count), expected \(expected.count)"
        }
        guard let i = firstUnequalBits(expected, actual) else { return nil }
        return "index \(i): got \(actual[i]) (0x\(hex(actual[i]))), expected \(expected[i]) (0x\(hex(expected[i])))"
    }

    /// The first index whose bit patterns differ. Equal bits are equal bytes, so `memcmp` (the C
    /// library's vector loop) answers the common case, equal buffers; only unequal ones are
    /// searched, as UInt64 words, eight at a time with no early exit inside a block, so that loop
    /// vectorizes too (a per-element closure ran at ~1 GB/s).
    private static func firstUnequalBits(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Int? {
        if a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count * MemoryLayout<Double>.stride) == 0 { return nil }
        let block = 8
        var start = 0
        while start < a.count {
            let end = min(start + block, a.count)
            var differs: UInt64 = 0
            for i in start..<end { differs |= a[i].bitPattern ^ b[i].bitPattern }
            if differs != 0 {
                return (start..<end).first { a[$0].bitPattern != b[$0].bitPattern }
            }
            start = end
        }
        return nil
    }

    private static func hex(_ value: Double) -> String {
        let digits = String(value.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

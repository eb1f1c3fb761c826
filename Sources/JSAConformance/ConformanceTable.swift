import JSA
import TextTable

extension ConformanceRun {
    /// The pass/fail table `jsa-bench verify` prints: one row per suite, one column per kernel,
    /// then the first failure of each failing cell and why any kernel did not run.
    public func table() -> String {
        var lines: [String] = []
        lines.append("JSA conformance: each kernel bit for bit against scalar; scalar against the definition")
        let auto = autoResolvesTo.map { "auto → \($0)" } ?? "auto unresolved"
        let cap = cpu.disabled.isEmpty ? "none" : cpu.disabled.description
        lines.append(
            "CPU features: detected \(cpu.detected), usable \(cpu.usable), "
                + "capped by \(CPUFeatures.disableVariable): \(cap); \(auto)")
        var variants: [String] = []
        if cpu.supports(.avx2) {
            let avx2 = AVX2Variant.currentChoice
            variants.append("avx2 as \(avx2.variant) (\(avx2.reason))")
        }
        if cpu.supports(.avx512) {
            let avx512 = AVX512Variant.currentChoice
            variants.append("avx512 as \(avx512.variant) (\(avx512.reason))")
        }
        if !variants.isEmpty {
            lines.append("Variants: " + variants.joined(separator: "; "))
        }
        lines.append("")

        let header = ["suite", "cases"] + kernels.map(\.rawValue)
        let rows = suites.indices.map { s in
            [suites[s], "\(caseCount(suite: s))"] + outcomes[s].map(Self.cell)
        }
        lines += TextTable(header: header, rows: rows, alignments: [.left, .right]).lines()

        var notes: [String] = []
        for (k, kernel) in kernels.enumerated() {
            if let reason = outcomes.lazy.compactMap({ if case let .notRun(reason) = $0[k] { reason } else { nil } }).first {
                notes.append("n/a \(kernel): \(reason)")
            }
        }
        for row in outcomes {
            for case let .failed(_, failures, firstFailure) in row {
                notes.append("FAIL (\(failures) cases) first: \(firstFailure)")
            }
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes
        }
        lines.append("")
        let totalCases = suites.indices.reduce(0) { $0 + caseCount(suite: $1) }
        let ran = kernelsRun.map(\.rawValue).joined(separator: ", ")
        lines.append(
            passed
                ? "PASS: \(totalCases) cases bit-identical on every kernel run (\(ran))"
                : "FAIL: some kernels differ from scalar (see above)")
        return lines.joined(separator: "\n")
    }

    private func caseCount(suite s: Int) -> Int {
        for outcome in outcomes[s] {
            switch outcome {
            case let .passed(cases), let .failed(cases, _, _): return cases
            case .notRun: continue
            }
        }
        return 0
    }

    private static func cell(_ outcome: SuiteOutcome) -> String {
        switch outcome {
        case .passed: return "pass"
        case let .failed(_, failures, _): return "FAIL(\(failures))"
        case .notRun: return "n/a"
        }
    }
}

import BenchModel

/// The Python ladder's overhead summary, per size: differences of the rungs' medians against the
/// native rung (the kernel called from C in the interpreter's process).
enum PythonSummary {
    /// Recomputes `python.sizes` from the document's `python` cases (a document without them keeps
    /// the summary it carries); the 5% sizes follow once the analysis is in
    /// (`ResultsDocument.pythonOverheadUnder5PercentFrom`, `pythonOverheadIntervalUnder5Percent`).
    static func fill(_ python: inout PythonReport, from cases: [CaseResult]) {
        let sizes = Set(cases.compactMap { c -> Int? in if case .python = c.kind { return c.n } else { return nil } }).sorted()
        guard !sizes.isEmpty else { return }
        python.sizes = sizes.compactMap { summarize(cases, n: $0) }
    }

    /// The ladder's differences at one size; nil when a rung it needs is missing.
    static func summarize(_ cases: [CaseResult], n: Int) -> PythonSizeSummary? {
        func rung(_ rung: PythonRung) -> CaseResult? {
            cases.first { $0.n == n && $0.kind == .python(rung) }
        }
        func median(_ name: PythonRung) -> Double? { rung(name)?.stats?.medianNs }
        guard let nativeNs = median(.nativeOut), let empty = median(.emptyLoop), let noop = median(.noop),
            let acquireOut = median(.acquireOut), let allocation = median(.numpyEmpty), let jsaOut = median(.jsaOut),
            let jsa = median(.jsa), let copy = median(.jsaCopy), let baseline = median(.numpyBaseline),
            let naive = median(.numpyNaive), let faults = rung(.jsa)?.rusagePerCall.minorFaults
        else { return nil }
        return PythonSizeSummary(
            n: n, nativeIntoNs: nativeNs, overheadOutNs: jsaOut - nativeNs, overheadAllocNs: jsa - nativeNs,
            overheadOutFraction: (jsaOut - nativeNs) / jsaOut, callAndParsingNs: noop - empty,
            bufferAcquisitionNs: acquireOut - noop, outputAllocationNs: allocation - empty, emptyLoopNs: empty,
            pageFaultsPerCall: faults, speedupOverNumpy: baseline / jsaOut, speedupOverNaiveNumpy: naive / jsa,
            copyToDirectSavingPercent: 100 * (copy - jsa) / copy, allocToOutSavingPercent: 100 * (jsa - jsaOut) / jsa)
    }
}

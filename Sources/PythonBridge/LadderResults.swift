import BenchModel
import Measurement

extension PythonLadder {
    /// Times the ladder `request` asks for in `python` and returns one `python` case per rung, with
    /// its raw samples (sample k of every rung taken in round k; the analysis summarizes them).
    public static func result(for request: PythonLadderRequest, in python: EmbeddedPython, caches: CacheTopology)
        throws(EmbeddedPython.Unavailable) -> PythonLadderResult
    {
        let n = request.n
        let chosen = steps.filter { $0.rung != .jsaBatch || request.batch }
        let level = caches.level(ofWorkingSet: 16 * n)  // of the input and one output: what warm calls keep
        let samples = try measure(
            in: python, steps: chosen, n: n, period: request.period, samples: request.samples,
            minimumSampleNs: request.minimumSampleNs, seed: request.seed,
            caseBudgetNs: request.caseBudgetNs ?? .infinity, warm: level != .dram, loops: request.loops,
            firstRound: request.firstRound, epochs: request.epochsPerSample)
        let cases = chosen.compactMap { step -> CaseResult? in
            guard let measured = samples.steps[step.name], !measured.samplesNs.isEmpty else { return nil }
            let bytes = step.bytesPerElement * n
            // jsa_batch writes one output row per period: its data is the input and those rows.
            let workingSet = max(16 * n, bytes)
            let kind = CaseKind.python(step.rung)
            var result = CaseResult(
                id: kind.id(n: n, period: request.period), family: kind.family, variant: kind.variant,
                kernel: step.rung.callsBinding ? KernelName.auto.rawValue : nil, resolvedKernel: nil, n: n, period: request.period,
                periods: nil, threads: 1, bytesPerCall: bytes, workingSetBytes: workingSet,
                level: caches.level(ofWorkingSet: workingSet).rawValue, iterationsPerSample: measured.loops,
                samplesNs: measured.samplesNs, samplesRequested: request.samples, stats: nil, perElementNs: nil, gbps: nil,
                verified: samples.verified, verificationError: samples.verified ? nil : "jsa_native.jsa differs from NumPy",
                rusagePerCall: ResourceUsage(minorFaults: measured.minorFaultsPerCall))
            result.probesNs = measured.probesNs.flatMap { $0.count == measured.samplesNs.count ? $0 : nil }
            result.samplesWallNs = CaseResult.wallTimes(measured.samplesWallNs, of: measured.samplesNs)
            return result
        }
        return PythonLadderResult(
            cases: cases, python: samples.python, numpy: samples.numpy, executable: samples.executable,
            verified: samples.verified)
    }
}

import BenchModel
import Measurement

/// Whether a sweep runs the Python FFI ladder.
public enum PythonMode: String, Sendable {
    /// Native cases only (`sweep --no-python`).
    case off
    /// Every native case, then the ladder at each size (`sweep`).
    case alongside
    /// Only the native direct-write `auto` case the ladder is compared with, then the ladder
    /// (`jsa-bench python`).
    case only
}

/// The Python ladder of one size, pass by pass, as `SizeSampling` is its native cases': each pass
/// of the sweep starts a fresh helper process, which takes its share of every size's rounds after
/// the native cases' pass. So the rungs' rounds are spread over the run and over processes like the
/// native ones, and their intervals — Student t over the helper processes — hold the host's slow
/// and fast stretches. Timed in one stretch, as the ladder was, two runs of one build differed by
/// up to 2× where each claimed ±1–5% (an Intel Xeon guest, 2026-12-03: `jsa-bench compare` of
/// two quick sweeps called 5 rungs slower and 18 faster at p < 0.001).
final class PythonSampling {
    let n: Int
    let configuration: SweepConfiguration
    /// The rungs with every sample taken so far (rounds and processes recorded).
    private(set) var cases: [CaseResult] = []
    /// Loops per sample by rung, as the first helper calibrated them (later helpers reuse them).
    private var loops: [String: Int]?
    private var round = 0

    init(configuration: SweepConfiguration, n: Int) {
        self.configuration = configuration
        self.n = n
    }

    /// What to ask pass `pass` of `passes` for: its share of the rounds and of each rung's time
    /// budget, `jsa_batch` when n holds its periods and its output fits the memory cap; nil when
    /// the pass has no round.
    func request(pass: Int, of passes: Int) -> PythonLadderRequest? {
        let share = SizeSampling.roundsPerPass(configuration.samples, passes: passes)[pass]
        guard share > 0 else { return nil }
        let periods = configuration.batchPeriods
        let batchBytes = periods.count * n * MemoryLayout<Double>.stride
        let batch = periods.maximum <= n && batchBytes <= configuration.maximumBatchOutputBytes
        let budgetNs = configuration.caseBudgetSeconds * 1e9 * Double(share) / Double(configuration.samples)
        return PythonLadderRequest(
            n: n, period: configuration.period, samples: share, minimumSampleNs: configuration.minimumSampleMs * 1e6,
            seed: configuration.seed, batch: batch, caseBudgetNs: budgetNs, loops: loops, firstRound: round,
            epochsPerSample: configuration.epochsPerSample)
    }

    /// Adds what helper process `process` measured in answer to `request`.
    func add(_ ladder: PythonLadderResult, for request: PythonLadderRequest, process: Int) {
        cases = Self.merged(
            cases, with: ladder.cases, firstRound: request.firstRound, process: process, samplesRequested: configuration.samples)
        loops = loops ?? Dictionary(uniqueKeysWithValues: ladder.cases.map { ($0.variant, $0.iterationsPerSample) })
        round = request.firstRound + request.samples
    }

    /// `cases` with one pass's rungs added: sample k of a pass's rung was taken in its round
    /// `firstRound + k` by helper process `process`. A rung new to `cases` is appended; fault
    /// rates are weighted by the calls behind them; speed probes are kept where every pass has
    /// them, wall times where any pass timed epochs; a rung is verified when every pass verified it.
    static func merged(
        _ cases: [CaseResult], with pass: [CaseResult], firstRound: Int, process: Int, samplesRequested: Int
    ) -> [CaseResult] {
        var merged = cases
        for rung in pass {
            let rounds = rung.samplesNs.indices.map { firstRound + $0 }
            let processes = Array(repeating: process, count: rung.samplesNs.count)
            guard let index = merged.firstIndex(where: { $0.id == rung.id }) else {
                var added = rung
                added.sampleRounds = rounds
                added.sampleProcesses = processes
                added.samplesRequested = samplesRequested
                merged.append(added)
                continue
            }
            var c = merged[index]
            let callsBefore = Double(c.iterationsPerSample * c.samplesNs.count)
            let callsAdded = Double(rung.iterationsPerSample * rung.samplesNs.count)
            let faults = c.rusagePerCall.minorFaults * callsBefore + rung.rusagePerCall.minorFaults * callsAdded
            c.rusagePerCall.minorFaults = faults / max(callsBefore + callsAdded, 1)
            c.probesNs = c.probesNs.flatMap { before in rung.probesNs.map { before + $0 } }
            // Wall times where some pass timed in epochs; a pass of whole samples adds its samples.
            if c.samplesWallNs != nil || rung.samplesWallNs != nil {
                c.samplesWallNs = (c.samplesWallNs ?? c.samplesNs) + (rung.samplesWallNs ?? rung.samplesNs)
            }
            c.samplesNs += rung.samplesNs
            c.sampleRounds = (c.sampleRounds ?? []) + rounds
            c.sampleProcesses = (c.sampleProcesses ?? []) + processes
            c.iterationsPerSample = min(c.iterationsPerSample, rung.iterationsPerSample)
            if !rung.verified {
                c.verified = false
                c.verificationError = rung.verificationError
            }
            merged[index] = c
        }
        return merged
    }
}

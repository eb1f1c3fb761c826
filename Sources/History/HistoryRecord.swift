import BenchModel
import Foundation

/// One run as every store keeps it — its key, machine, provenance and case estimates — computed
/// once from a results document, so that both stores write the same rows.
struct HistoryRecord {
    /// One case's row: its blocked estimate (ns, `HistoryRun.estimate(of:)`) with the 95%
    /// interval, its within-run ratio to memcpy at the same n where the analysis has one, and its
    /// finite raw samples (ns, as JSON).
    struct Case {
        let caseID: String
        let n: Int
        let estimator: String
        let value: Double, low: Double, high: Double
        let memcpyRatio: IntervalEstimate?
        let samplesJSON: String
    }

    let key: String
    let machine: MachineFingerprint
    let startedAt: String
    let gitCommit: String?
    let gitDirty: Bool?
    let preset: String?
    let resultsSchema: String
    /// Every case with a finite estimate, in the document's order.
    let cases: [Case]

    init(_ document: ResultsDocument) throws {
        key = HistoryRun.key(of: document)
        machine = MachineFingerprint(document)
        startedAt = document.run.startedAt
        gitCommit = document.run.gitCommit
        gitDirty = document.run.gitDirty
        preset = document.run.preset
        resultsSchema = document.schema
        let encoder = JSONEncoder()
        cases = try document.cases.compactMap { c in
            guard let estimate = HistoryRun.estimate(of: c), estimate.value.isFinite else { return nil }
            return Case(
                caseID: c.id, n: c.n, estimator: estimate.estimator, value: estimate.value, low: estimate.low, high: estimate.high,
                memcpyRatio: document.analysis?.ratio(.fractionOfMemcpy, of: c.id)?.estimate,
                samplesJSON: String(decoding: try encoder.encode(c.samplesNs.filter(\.isFinite)), as: UTF8.self))
        }
    }

    /// How a source is stored: the empty string, which `HistoryStore.add(_:source:)` passes for a
    /// document that came from no file, is stored as no source (NULL).
    static func storedSource(_ source: String) -> String? {
        source.isEmpty ? nil : source
    }

    /// The documents `read` returns for `sources`, handed to `body` in their order; they are read
    /// `readAhead` at a time on every core (decoding is most of an add's work), so at most that
    /// many are in memory. The first read failure in order is rethrown as it is.
    static func forEach(
        _ sources: [String], reading read: @escaping @Sendable (String) throws -> ResultsDocument, readAhead: Int = 8,
        _ body: (String, ResultsDocument) throws -> Void
    ) throws {
        let step = max(1, readAhead)
        for start in stride(from: 0, to: sources.count, by: step) {
            let batch = Array(sources[start..<min(sources.count, start + step)])
            for (source, document) in zip(batch, readConcurrently(batch, read)) {
                try body(source, try document.get())
            }
        }
    }

    /// `read` of every source, run concurrently, each result in its source's place.
    static func readConcurrently(
        _ sources: [String], _ read: @escaping @Sendable (String) throws -> ResultsDocument
    ) -> [Result<ResultsDocument, any Error>] {
        final class Slots: @unchecked Sendable {
            var results: [Result<ResultsDocument, any Error>?]
            let lock = NSLock()
            init(_ count: Int) { results = Array(repeating: nil, count: count) }
        }
        let slots = Slots(sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let result = Result { try read(sources[index]) }
            slots.lock.withLock { slots.results[index] = result }
        }
        return slots.results.map { $0! }
    }
}

/// Builds the series from a store's rows, which come ordered by machine, case, then run: each
/// (machine, case) pair becomes one `CaseHistory`, and each machine's fingerprint is decoded once.
struct SeriesAssembler {
    let basis: HistoryBasis
    private(set) var histories: [CaseHistory] = []
    private var machines: [String: MachineFingerprint] = [:]

    init(basis: HistoryBasis) { self.basis = basis }

    /// Appends one row's point to its series; `machine` decodes the row's fingerprint when it is
    /// the first of that machine.
    mutating func append<Failure: Error>(
        caseID: String, machineID: String, point: HistoryPoint, machine: () throws(Failure) -> MachineFingerprint
    ) throws(Failure) {
        if let last = histories.last, last.caseID == caseID, last.machine.id == machineID {
            histories[histories.count - 1].points.append(point)
        } else {
            let fingerprint: MachineFingerprint
            if let known = machines[machineID] {
                fingerprint = known
            } else {
                fingerprint = try machine()
                machines[machineID] = fingerprint
            }
            histories.append(CaseHistory(caseID: caseID, machine: fingerprint, basis: basis, points: [point]))
        }
    }
}

import BenchModel

/// What a results document must be before any command uses it: the checks a hand-edited or
/// corrupted file fails with exit 65, naming the case and the field — run by `ResultsFile.read`,
/// so `report`, `export`, `compare` and `gate` all see the same verdict.
public enum ResultsValidation {
    /// Samples are ns per call: finite and within (`minimumSampleNs`, `maximumSampleNs`]. A real
    /// call takes more than 1e-6 ns and less than a day.
    public static let minimumSampleNs = 1e-6
    public static let maximumSampleNs = 8.64e13
    /// Bytes per call at most 1 PiB: anything larger is not a measurement of this machine.
    public static let maximumBytesPerCall = 1 << 50

    /// The first problem of `document`, in words naming the case (by index and id) and the field;
    /// nil when it has none.
    public static func firstProblem(_ document: ResultsDocument) -> String? {
        var seen = Set<String>()
        for (index, c) in document.cases.enumerated() {
            let at = "cases[\(index)] (\(c.id.prefix(80)))"
            guard seen.insert(c.id).inserted else { return "\(at): duplicate id" }
            guard c.kind != nil else {
                return "\(at).family/variant/kernel: '\(c.family)/\(c.variant)/\(c.kernel ?? "-")' is no kind this version knows"
            }
            guard c.n > 0 else { return "\(at).n: \(c.n) is not positive" }
            if let period = c.period, !(1...c.n).contains(period) {
                return "\(at).period: \(period) is not in 1...\(c.n)"
            }
            guard c.threads >= 1 else { return "\(at).threads: \(c.threads) is not positive" }
            guard (0...maximumBytesPerCall).contains(c.bytesPerCall) else {
                return "\(at).bytes_per_call: \(c.bytesPerCall) is out of range"
            }
            guard c.workingSetBytes >= 0 else { return "\(at).working_set_bytes: \(c.workingSetBytes) is negative" }
            guard c.iterationsPerSample >= 0, c.samplesRequested >= 0 else {
                return "\(at).iterations_per_sample/samples_requested: negative"
            }
            if let bad = c.samplesNs.firstIndex(where: { !($0 > minimumSampleNs && $0 <= maximumSampleNs) }) {
                return "\(at).samples_ns[\(bad)]: \(c.samplesNs[bad]) is not a time per call (ns, > 0)"
            }
            let count = c.samplesNs.count
            for (field, length) in [
                ("sample_rounds", c.sampleRounds?.count), ("sample_processes", c.sampleProcesses?.count),
                ("probes_ns", c.probesNs?.count)
            ] {
                if let length, length != count { return "\(at).\(field): \(length) entries for \(count) samples" }
            }
            if let rounds = c.sampleRounds, rounds.contains(where: { $0 < 0 }) { return "\(at).sample_rounds: a negative round" }
            if let processes = c.sampleProcesses, processes.contains(where: { $0 < 0 }) {
                return "\(at).sample_processes: a negative process"
            }
            if let bad = c.probesNs?.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                return "\(at).probes_ns[\(bad)]: \(c.probesNs![bad]) is not a duration"
            }
            if let rounds = c.sampleRounds, Set(rounds).count != rounds.count { return "\(at).sample_rounds: a round holds two samples" }
            if !c.verified && !c.samplesNs.isEmpty { return "\(at).verified: an unverified case has samples" }
        }
        return nil
    }
}

import BenchModel
import Foundation
import Measurement
import Statistics
import SystemIO

/// Way (b) of the gate: two builds of jsa-bench, each running as a `sampling-worker`, sampled in
/// alternation — for every case, A B B A ... sample by sample — so that whatever the machine does
/// over a second (a neighbour on the host, a frequency change) hits both builds alike.
///
/// Both workers of a round run on the same logical CPU (the next one each round): on a VM, one
/// vCPU can be slowed by the host while the other is not, and two workers on two CPUs would see
/// different machines. Every round starts a fresh pair of workers: within one process, where the
/// OS and the allocator happened to put the buffers (physical pages, address bits above the page
/// offset) is fixed, and on this project's machine it moved some cases by 10–20% between two
/// processes of the same build; one pair for all rounds would turn that luck into a "significant"
/// difference. With a pair per round it is drawn anew each round, for both builds, and shows up
/// as round-to-round noise in the interval instead.
///
/// Both builds' workers run from copies at paths of the same length (`LaunchCopies`): the length
/// of the path a worker ran from moved some cases by 1.5–10% on its own.
///
/// Each round gives, per case, the median of each build's samples: one paired observation.
public enum ABRunner {
    /// What the rounds produced.
    public struct Outcome: Sendable {
        /// Cases both builds have, in the head build's order, with one median per round each.
        public var cases: [PairedCase]
        /// Cases only the head build has, and only the base build has.
        public var added: [String]
        public var removed: [String]
        /// `release` or `debug`, per build.
        public var baseBuild: String
        public var headBuild: String
        /// The epochs each build's workers time a sample's calls in (1: whole samples).
        public var baseEpochs = 1
        public var headEpochs = 1
        /// The variants each build's SIMD kernels ran, as its first workers said (nil from a build
        /// that does not say).
        public var baseVariants: KernelVariants?
        public var headVariants: KernelVariants?
        /// How each round's workers paged their buffers, per build (nil for a worker that did not say).
        public var basePageBackings: [[SizePageBacking]?] = []
        public var headPageBackings: [[SizePageBacking]?] = []
        /// Cases whose output differed from scalar in either build (`id: difference`): not compared.
        public var failed: [String]
        /// Rounds that ran to their end (each case has this many medians per build).
        public var rounds = 0
        /// `shouldStop` ended the rounds before all had run; `cases` hold the finished ones.
        public var interrupted = false
        /// Every case id each build's workers offer, in their order (each round's must match).
        var baseIDs: [String] = []
        var headIDs: [String] = []
    }

    /// Runs `rounds` rounds, each with a fresh pair of workers built from `setup` (pinned to the
    /// next CPU each round), taking `samplesPerRound` samples per build and case; the base build's
    /// workers start with `baseEnvironment`'s changes to this process's environment, the head
    /// build's with `headEnvironment`'s (one build against itself with another
    /// `JSA_AVX2_VARIANT` on each side compares two kernel variants). `progress` is
    /// told after each round. When `shouldStop` turns true (Ctrl-C, SIGTERM) after a round has
    /// finished, the outcome holds the finished rounds and says it was `interrupted`; a round cut
    /// short is left out whole. `compared` is told, once the first pair of workers has said their
    /// cases, how many both builds share (what the rounds will compare).
    /// - Throws: `MeasuringFailure` (`unfit` when a build has no sampling worker of this protocol,
    ///   or, unless `allowingOtherEpochs`, when the builds time a sample's calls in different
    ///   epochs — a build from before epochs times whole samples, which include the pauses the
    ///   median epoch leaves out; `stopped` when stopped before any round finished; whatever
    ///   `compared` throws, before any round is sampled — `nothingToCompare` where it has none).
    public static func run(
        base: String, head: String, rounds: Int, samplesPerRound: Int, setup: WorkerSetup,
        baseEnvironment: [String: String?] = [:], headEnvironment: [String: String?] = [:],
        allowingOtherEpochs: Bool = false, shouldStop: @escaping () -> Bool = { false },
        compared: (Int) throws(MeasuringFailure) -> Void = { _ in }, progress: (Int) -> Void = { _ in }
    ) throws(MeasuringFailure) -> Outcome {
        guard rounds > 0 else { throw MeasuringFailure(kind: .failed, description: "no rounds to run") }
        let copies: LaunchCopies
        do {
            copies = try LaunchCopies([("base", base), ("head", head)])
        } catch {
            throw MeasuringFailure(kind: .failed, description: error.description)
        }
        defer { withExtendedLifetime(copies) {} }  // the copies outlive every round's workers
        let baseSide: Side = (base, copies.paths[0], baseEnvironment), headSide: Side = (head, copies.paths[1], headEnvironment)
        var outcome: Outcome?
        var indices: [(base: Int, head: Int)] = []
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        for round in 0..<rounds {
            let arrangement = RoundArrangement(round: round, cpus: cpus)
            var pinned = setup
            pinned.cpu = arrangement.cpu
            var summaries: [RoundSummary] = []
            do throws(MeasuringFailure) {
                if shouldStop() { throw MeasuringFailure(kind: .stopped, description: "stopped before round \(round + 1)") }
                let (a, b) = try pair(
                    base: baseSide, head: headSide, setup: pinned, baseFirst: arrangement.baseStartsFirst, shouldStop: shouldStop)
                defer {
                    for worker in arrangement.baseStopsFirst ? [a, b] : [b, a] { worker.stop() }
                }
                if outcome == nil {
                    if a.epochsPerSample != b.epochsPerSample && !allowingOtherEpochs {
                        throw MeasuringFailure(
                            kind: .unfit,
                            description: "the builds time samples differently: \(base) in \(Self.epochs(a.epochsPerSample)), "
                                + "\(head) in \(Self.epochs(b.epochsPerSample)) (--epochs \(a.epochsPerSample) times both alike)")
                    }
                    outcome = Outcome(base: a.cases, head: b.cases, baseBuild: a.buildConfiguration, headBuild: b.buildConfiguration)
                    outcome!.baseEpochs = a.epochsPerSample
                    outcome!.headEpochs = b.epochsPerSample
                    outcome!.baseVariants = a.kernelVariants
                    outcome!.headVariants = b.kernelVariants
                    indices = outcome!.indices(base: a.cases, head: b.cases)
                    try compared(outcome!.cases.count)
                }
                guard a.cases.map(\.id) == outcome!.baseIDs, b.cases.map(\.id) == outcome!.headIDs else {
                    throw MeasuringFailure(
                        kind: .failed, description: "the workers of round \(round + 1) offer other cases than those of round 1")
                }
                outcome!.basePageBackings.append(a.pageBacking)
                outcome!.headPageBackings.append(b.pageBacking)
                summaries = try Self.summaries(base: a, head: b, indices: indices, round: round, samplesPerRound: samplesPerRound)
            } catch  where error.kind == .stopped && (outcome?.rounds ?? 0) > 0 {
                outcome!.interrupted = true
                break
            }
            for (k, summary) in summaries.enumerated() {
                outcome!.cases[k].base.append(summary.base)
                outcome!.cases[k].head.append(summary.head)
                if let baseSpread = summary.baseSpread, let headSpread = summary.headSpread {
                    outcome!.cases[k].baseSpreads.append(baseSpread)
                    outcome!.cases[k].headSpreads.append(headSpread)
                }
            }
            outcome!.rounds += 1
            progress(round + 1)
        }
        return outcome!
    }

    /// Where and in which order round `round`'s pair of workers runs: the CPU both are pinned to
    /// (the next one each round), which build's worker starts (and allocates) first, and which is
    /// stopped first. The start alternates every round and the stop every two, so that over any
    /// four rounds each build starts first twice and is stopped last twice, in all four
    /// combinations.
    ///
    /// Which worker is stopped last moves the rounds after it. Stopped in one fixed order (base,
    /// then head), way (b) of one build against itself at n = 100000 on the Intel Xeon guest of
    /// family 6 model 0xCF (L2 2 MiB: 1.6 MB of shared input and output at its edge; 2026-12-06,
    /// `gate --baseline-exec .build/release/jsa-bench --noise /nonexistent --sizes 100000`) read
    /// the head faster in 12 of 12 gates for every case on the shared buffers (memcpy 0.903–0.977,
    /// `into avx2` 0.893–0.986); stopped head first, slower in 3 of 3 (memcpy 1.089–1.140, one gate
    /// calling five cases slower); the start order did not matter (even and odd rounds leaned
    /// alike). With the stop alternating every two rounds, four gates read 0.988–1.059 (`into
    /// avx2`) and 0.999–1.058 (memcpy), inconclusive: what is left is each worker's own placement,
    /// its per-round medians spread by a CV of 9–26% at that size (`--pages huge` takes it away:
    /// 0.999–1.001 in two gates). In those four gates the lean followed the CPU's previous pair:
    /// two rounds after one whose head worker was stopped last (the same CPU again), head over base
    /// read 0.934–1.012, after the base's 1.034–1.149 — presumably the pages the last exit freed
    /// and the next workers on that CPU are given (not verified).
    struct RoundArrangement: Equatable {
        /// The logical CPU both workers are pinned to.
        var cpu: Int
        /// Whether the base build's worker starts first (else the head's).
        var baseStartsFirst: Bool
        /// Whether the base build's worker is stopped first (else the head's), at the round's end.
        var baseStopsFirst: Bool

        /// The arrangement of round `round` (from 0) on a machine of `cpus` logical CPUs.
        init(round: Int, cpus: Int) {
            cpu = round % max(1, cpus)
            baseStartsFirst = round % 2 == 0
            baseStopsFirst = (round / 2) % 2 == 0
        }
    }

    /// How a worker times a sample, for messages.
    static func epochs(_ count: Int) -> String {
        count == 1 ? "whole samples" : "the median of up to \(count) epochs"
    }

    /// One case's round: the median of each build's samples, and how widely they spread
    /// (`Statistics.relativeInterquartileRange`; nil from fewer than `RoundSpreads.minimumSamples`).
    struct RoundSummary {
        var base: Double
        var head: Double
        var baseSpread: Double?
        var headSpread: Double?

        init(base: [Double], head: [Double]) {
            self.base = Statistics.median(base)
            self.head = Statistics.median(head)
            let spreadKnown = min(base.count, head.count) >= RoundSpreads.minimumSamples
            baseSpread = spreadKnown ? Statistics.relativeInterquartileRange(base) : nil
            headSpread = spreadKnown ? Statistics.relativeInterquartileRange(head) : nil
        }
    }

    /// One round of a pair of workers: per compared case (`indices`: its index in each), each
    /// build's `samplesPerRound` samples, taken in alternation (A B B A ...), summarized.
    static func summaries(
        base a: WorkerMeasuringProcess, head b: WorkerMeasuringProcess, indices: [(base: Int, head: Int)], round: Int,
        samplesPerRound: Int
    ) throws(MeasuringFailure) -> [RoundSummary] {
        var summaries: [RoundSummary] = []
        for (k, (indexA, indexB)) in indices.enumerated() {
            var samplesA: [Double] = []
            var samplesB: [Double] = []
            for s in 0..<samplesPerRound {
                if (round + k + s) % 2 == 0 {
                    samplesA.append(try a.sample(indexA).ns)
                    samplesB.append(try b.sample(indexB).ns)
                } else {
                    samplesB.append(try b.sample(indexB).ns)
                    samplesA.append(try a.sample(indexA).ns)
                }
            }
            summaries.append(RoundSummary(base: samplesA, head: samplesB))
        }
        return summaries
    }

    /// A build's executable, the copy of it its workers run, and the changes to the environment
    /// they start with.
    typealias Side = (executable: String, launchPath: String, environment: [String: String?])

    /// Starts a base and a head worker, in the order `baseFirst` says; stops the first if the second fails.
    static func pair(base: Side, head: Side, setup: WorkerSetup, baseFirst: Bool, shouldStop: @escaping () -> Bool)
        throws(MeasuringFailure) -> (base: WorkerMeasuringProcess, head: WorkerMeasuringProcess)
    {
        let (firstSide, secondSide) = baseFirst ? (base, head) : (head, base)
        let first = try WorkerMeasuringProcess(
            executable: firstSide.executable, launchPath: firstSide.launchPath, environment: firstSide.environment, setup: setup,
            shouldStop: shouldStop)
        do {
            let second = try WorkerMeasuringProcess(
                executable: secondSide.executable, launchPath: secondSide.launchPath, environment: secondSide.environment,
                setup: setup, shouldStop: shouldStop)
            return baseFirst ? (first, second) : (second, first)
        } catch {
            first.stop()
            throw error
        }
    }
}

extension ABRunner.Outcome {
    /// No rounds yet: the verified cases both builds offer.
    init(base: [CaseResult], head: [CaseResult], baseBuild: String, headBuild: String) {
        let baseVerified = Set(base.filter(\.verified).map(\.id))
        let baseIDs = Set(base.map(\.id))
        let headIDs = Set(head.map(\.id))
        let compared = head.filter { $0.verified && baseVerified.contains($0.id) }.map(\.id)
        let failed = (base + head).filter { !$0.verified }.map { "\($0.id): \($0.verificationError ?? "output differs from scalar")" }
        self.init(
            cases: compared.map { PairedCase(id: $0, base: [], head: []) },
            added: head.map(\.id).filter { !baseIDs.contains($0) }, removed: base.map(\.id).filter { !headIDs.contains($0) },
            baseBuild: baseBuild, headBuild: headBuild, failed: failed)
        self.baseIDs = base.map(\.id)
        self.headIDs = head.map(\.id)
    }

    /// Per build and size, where its workers' buffers were paged otherwise than `pages` asked
    /// (`PageSize.shortfall`; `policy`, the system's transparent-huge-page mode): one line each.
    public func pageShortfalls(sizes: [Int], pages: PageSize, policy: String?) -> [String] {
        [("base", basePageBackings), ("head", headPageBackings)].flatMap { side, rounds in
            sizes.compactMap { n in
                pages.shortfall(of: rounds.map { $0?.first { $0.n == n }?.backing }, policy: policy).map { "\(side), n=\(n): \($0)" }
            }
        }
    }

    /// Per build whose workers did not say they moved through placements where `placements` (more
    /// than 1) were asked: a build before `--placements`, each of whose workers measures on one
    /// draw of pages, which near the L2's capacity reads otherwise than a mix of them (slower on
    /// the Intel model 0xCF guest, docs/measuring.md "Placements"). One line each.
    public func placementShortfalls(placements: Int) -> [String] {
        guard placements > 1 else { return [] }
        return [("base", basePageBackings), ("head", headPageBackings)].compactMap { side, rounds in
            let silent = rounds.filter { backings in backings.map { $0.contains { $0.placements == nil } } ?? true }.count
            return silent == 0
                ? nil
                : "\(side): \(silent) of \(rounds.count) workers did not move through placements of their buffers "
                    + "(a build before --placements): each measured on one draw of pages, which near the L2's capacity "
                    + "reads otherwise than a mix of them; --placements 1 measures both sides so"
        }
    }

    /// Per compared case, its index in the base and in the head worker.
    func indices(base: [CaseResult], head: [CaseResult]) -> [(base: Int, head: Int)] {
        cases.map { c in (base.firstIndex { $0.id == c.id }!, head.firstIndex { $0.id == c.id }!) }
    }
}

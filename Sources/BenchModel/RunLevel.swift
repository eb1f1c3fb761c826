/// How far whole runs of one sweep sit above or below each other on one host — the part of a
/// re-run's difference that no run can see in its own samples.
///
/// On shared hosts every case of a run moves together between runs, by the same fraction (scalar
/// and vector kernels, memcpy, malloc alike): 0.2–2% from one run to the next on the AMD EPYC
/// guest, in states that last seconds to minutes, while the speed probe's fast level stays within
/// 0.3%. A run's intervals measure the run; `reproduce` measures this, and a sweep given it
/// (`--run-level`) adds it to each headline interval as the re-run interval (`CaseEstimates.rerun`).
public struct RunLevelSpread: Codable, Hashable, Sendable {
    /// The standard deviation of the levels of the runs not `apart`, in natural-log units (0.01 ≈
    /// 1%): the spread of the runs at the host's usual level. Not the robust SD that sets runs
    /// apart: the host holds a run level for several runs and then moves, so a minority of runs
    /// 0.5–1% off is what it does, and a median absolute deviation leaves them out — on the AMD
    /// EPYC guest (2026-12-04, 16 runs) 0.08% robust against 0.35% plain, and the robust SD's
    /// re-run intervals held another stretch's runs in 66–75% of pairs where the plain SD's held
    /// 80–82%.
    public var sd: Double
    /// Each run's level, in run order: the median over the cases present in every run of the log
    /// of its headline estimate over that case's median estimate in all runs.
    public var levels: [Double]
    /// The runs (1-based) whose level lies more than `apartBeyond` robust SDs (1.4826 × the levels'
    /// median absolute deviation) and more than `apartAtLeast` from the median level: on these
    /// hosts, runs at another of the host's levels (7–16% away, the speed probe 7–9% faster; the
    /// run level itself stayed within ±2.3%).
    /// Re-run intervals do not cover them, and the coverage counts them.
    public var apart: [Int]
    /// How closely a run's own measuring processes place its level (log units): per run, the SD
    /// of its processes' levels (each the median over cases of the log of the process's median
    /// sample over the case's median over processes) over √processes, the median over runs. The
    /// run's intervals rest on that spread; where `sd` is several times it, whole runs move by
    /// more than any run's own samples show (AMD EPYC guest, 2026-12-04, 20 runs at 08:12: `sd`
    /// 0.41%, this 0.06%). Nil for runs of one process, and in files written before it.
    public var withinRunSE: Double?
    /// When the last of the runs ended.
    public var measuredAt: String
    /// The machine the runs measured; a sweep on another class cannot use it.
    public var machine: MachineClass
    /// The runs' `run.epochs_per_sample` (nil: whole samples, as before epochs).
    public var epochsPerSample: Int?
    /// The file a sweep read it from; nil in the `reproduce` report that measured it.
    public var source: String?
    /// Each case's own spread over the same runs (by id): the standard deviation of the log of its
    /// estimate over the runs not `apart` — whole runs move the cases unlike each other, which a
    /// level over every case (`sd`, a median) does not show. On the AMD EPYC Zen 3 guest
    /// (2026-12-07 09:16, 8 runs of `reproduce -- --sizes 1e3,1e4,1e5 --kernels scalar,avx2`) `sd`
    /// was 0.01%, as for the cases at L1 and L2, while the cases moving data at n = 100000 (L3)
    /// moved 15% with the memory's level (`MemoryLevelSummary`) and the scalar ones there 0.1%:
    /// their re-run intervals, widened by 0.01%, held another run's estimate in a third of the
    /// pairs, and even over the L3's cases alone the run level was 1.3%. Nil in files written
    /// before.
    public var sdByCase: [String: Double]?

    /// How many robust SDs from the median level set a run apart.
    public static let apartBeyond = 3.0
    /// The least distance from the median level (log units) that sets a run apart, whatever the
    /// SD: in a quiet stretch the SD is under 0.1%, and a run 0.3% off is not another host level.
    public static let apartAtLeast = 0.03

    public init(
        sd: Double, levels: [Double], apart: [Int] = [], withinRunSE: Double? = nil, measuredAt: String, machine: MachineClass,
        epochsPerSample: Int?, source: String? = nil, sdByCase: [String: Double]? = nil
    ) {
        self.sd = sd
        self.levels = levels
        self.apart = apart
        self.withinRunSE = withinRunSE
        self.measuredAt = measuredAt
        self.machine = machine
        self.epochsPerSample = epochsPerSample
        self.source = source
        self.sdByCase = sdByCase
    }

    /// The spread of whole runs for the case `id`: its own where it was measured, else `sd`.
    public func sd(forCase id: String?) -> Double {
        id.flatMap { sdByCase?[$0] } ?? sd
    }

    /// The runs it was measured from.
    public var runs: Int { levels.count }
    /// The runs `sd` was measured over: those not `apart`.
    public var runsNotApart: Int { runs - apart.count }

    /// Why a run on `machine` with `epochsPerSample` cannot use this spread; empty when it can.
    public func unfitness(machine other: MachineClass, epochsPerSample otherEpochs: Int?) -> [String] {
        var problems = machine.differences(from: other)
        if (epochsPerSample ?? 1) != (otherEpochs ?? 1) {
            problems.append("run.epochs_per_sample differs (\(epochsPerSample ?? 1) vs \(otherEpochs ?? 1))")
        }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case sd, levels, apart
        case withinRunSE = "within_run_se"
        case measuredAt = "measured_at"
        case machine
        case epochsPerSample = "epochs_per_sample"
        case source
        case sdByCase = "sd_by_case"
    }

    /// Reads a spread; one written before runs were set apart (no `apart`) reads with none apart.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sd = try container.decode(Double.self, forKey: .sd)
        levels = try container.decode([Double].self, forKey: .levels)
        apart = try container.decodeIfPresent([Int].self, forKey: .apart) ?? []
        withinRunSE = try container.decodeIfPresent(Double.self, forKey: .withinRunSE)
        measuredAt = try container.decode(String.self, forKey: .measuredAt)
        machine = try container.decode(MachineClass.self, forKey: .machine)
        epochsPerSample = try container.decodeIfPresent(Int.self, forKey: .epochsPerSample)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        sdByCase = try container.decodeIfPresent([String: Double].self, forKey: .sdByCase)
    }
}

import BenchModel
import Foundation

/// The noise floor of each case, measured by A/A runs (`gate --calibrate`): half the 95% interval
/// of the paired ratio when both builds are the same. A threshold below it cannot be judged.
public struct NoiseFloor: Codable, Sendable, Equatable {
    public static let schemaVersion = "jsa-bench/noise/v1"
    public var schema = NoiseFloor.schemaVersion
    public var rounds: Int
    /// Case id → relative noise (0.03 = ±3%), finite and non-negative.
    public var cases: [String: Double]
    /// The pages the calibration's buffers lay on (`--pages`); nil in files written before the
    /// choice, whose buffers lay on 4 KiB pages where the policy is `madvise`.
    public var pages: PageSize?
    /// The placements of each size's buffers per measuring process (`--placements`); nil in files
    /// written before them, whose workers measured on one.
    public var placements: Int?

    public init(rounds: Int, cases: [String: Double], pages: PageSize? = nil, placements: Int? = nil) {
        self.rounds = rounds
        self.cases = cases
        self.pages = pages
        self.placements = placements
    }

    /// The floor an A/A comparison of `rounds` rounds on `pages` and `placements` measured: each
    /// compared case's interval half-width.
    public init(calibration comparison: RunComparison, rounds: Int, pages: PageSize, placements: Int) {
        self.init(
            rounds: rounds,
            cases: Dictionary(
                uniqueKeysWithValues: comparison.cases.compactMap { c in
                    c.statistics.map { (c.id, ($0.ci95High - $0.ci95Low) / 2) }
                }), pages: pages, placements: placements)
    }

    /// A noise floor file's contents; nil unless it is one of this schema with valid levels.
    public static func decode(_ data: Data) -> NoiseFloor? {
        guard let floor = try? JSONDecoder().decode(NoiseFloor.self, from: data), floor.schema == schemaVersion,
            floor.cases.values.allSatisfy({ $0.isFinite && $0 >= 0 })
        else { return nil }
        return floor
    }

    /// The file's contents: pretty-printed with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The noisiest case, if any.
    public var worst: (id: String, level: Double)? {
        cases.max { $0.value < $1.value }.map { ($0.key, $0.value) }
    }

    /// The first compared case whose threshold lies below its noise floor: a verdict at that
    /// threshold would be noise.
    public func firstThresholdBelowFloor(in comparison: RunComparison) -> (id: String, threshold: Double, level: Double)? {
        for c in comparison.cases {
            if let level = cases[c.id], c.threshold < level { return (c.id, c.threshold, level) }
        }
        return nil
    }
}

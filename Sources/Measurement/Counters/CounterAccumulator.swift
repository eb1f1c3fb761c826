import BenchModel

/// Adds up readings sample by sample, and over the measuring processes of a size (`add(_:)` of
/// another accumulator, which a worker sends with its usage); `finish` divides by the calls made.
///
/// Invariant: `totals` and `minimumCoverage` hold one entry per name. A name is `lost` when some
/// sample, or some process, has no reading of it: its total would undercount, so it is left out.
public struct CounterAccumulator: Hashable, Sendable, Codable {
    public let names: [String]
    private var totals: [Double]
    private var minimumCoverage: [Double?]
    private var anyMultiplexed = false
    private var lost = Set<String>()

    public init(names: [String]) {
        self.names = names
        totals = Array(repeating: 0, count: names.count)
        minimumCoverage = Array(repeating: nil, count: names.count)
    }

    /// Adds one sample's readings (one per name, in order).
    public mutating func add(_ readings: [RawCount]) {
        for (i, reading) in readings.enumerated() where i < names.count {
            guard let scaled = reading.scaled else {
                lost.insert(names[i])  // never scheduled in this sample: no extrapolation possible
                continue
            }
            totals[i] += scaled
            anyMultiplexed = anyMultiplexed || reading.isMultiplexed
            if let coverage = reading.coverage {
                minimumCoverage[i] = min(minimumCoverage[i] ?? 1, coverage)
            } else if reading.multiplexed {
                minimumCoverage[i] = nil
            }
        }
    }

    /// Adds what `other` counted (another process's samples of the same case). A name `other` did
    /// not count is lost; names only `other` counted are not taken.
    public mutating func add(_ other: CounterAccumulator) {
        for (i, name) in names.enumerated() {
            guard let j = other.names.firstIndex(of: name), !other.lost.contains(name) else {
                lost.insert(name)
                continue
            }
            totals[i] += other.totals[j]
            if let coverage = other.minimumCoverage[j] {
                minimumCoverage[i] = min(minimumCoverage[i] ?? 1, coverage)
            }
        }
        anyMultiplexed = anyMultiplexed || other.anyMultiplexed
    }

    /// Per-call counts over `calls` calls, and their derived metrics.
    public func finish(calls: Int, elements: Int, bytesPerCall: Int, nsPerCall: Double) -> CaseCounters {
        var perCall: [String: Double] = [:]
        var coverage: [String: Double] = [:]
        for (i, name) in names.enumerated() where !lost.contains(name) {
            perCall[name] = totals[i] / Double(max(calls, 1))
            if let c = minimumCoverage[i] { coverage[name] = c }
        }
        return CaseCounters(
            perCall: perCall, coverage: coverage, multiplexed: anyMultiplexed,
            derived: CounterMetrics(
                perCall: perCall, elements: elements, bytesPerCall: bytesPerCall,
                nsPerCall: nsPerCall, multiplexed: anyMultiplexed))
    }

    enum CodingKeys: String, CodingKey {
        case names, totals
        case minimumCoverage = "minimum_coverage"
        case anyMultiplexed = "multiplexed"
        case lost
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        names = try container.decode([String].self, forKey: .names)
        totals = try container.decode([Double].self, forKey: .totals)
        minimumCoverage = try container.decode([Double?].self, forKey: .minimumCoverage)
        anyMultiplexed = try container.decode(Bool.self, forKey: .anyMultiplexed)
        lost = try container.decode(Set<String>.self, forKey: .lost)
        guard totals.count == names.count, minimumCoverage.count == names.count else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "counter totals and coverages must be one per name"))
        }
    }
}

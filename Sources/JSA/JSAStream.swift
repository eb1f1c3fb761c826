/// JSA one value at a time: `update(value)` returns what `jsa` would put at that index.
///
/// Leading NaNs are skipped, as `jsa` skips them when it finds the first valid index; from the
/// first non-NaN value on every value counts (NaN included), and `update` returns nil until
/// `period` values were seen, then `(value + value period steps ago) * 0.5`. Mapping nil to NaN,
/// the stream reproduces `jsa(data, period)` bit for bit.
public struct JSAStream: Sendable {
    /// The lag, in values.
    public let period: Int
    /// The last `period` values, oldest at `head` once full.
    private var ring: [Double]
    private var head = 0
    private var seen = 0

    /// - Throws: `JSAError.invalidPeriod` when `period < 1`.
    public init(period: Int = defaultPeriod) throws(JSAError) {
        guard period >= 1 else { throw .invalidPeriod(period: period, length: nil) }
        self.period = period
        self.ring = [Double](repeating: .nan, count: period)
    }

    /// Feeds the next value; returns the JSA value at its index, or nil while warming up.
    public mutating func update(_ value: Double) -> Double? {
        if seen == 0 && value.isNaN {
            return nil
        }
        let lagged = ring[head]
        ring[head] = value
        head = head + 1 == period ? 0 : head + 1
        if seen < period {
            seen += 1
            return nil
        }
        return (value + lagged) * 0.5
    }

    /// Forgets every value seen, as if newly created.
    public mutating func reset() {
        head = 0
        seen = 0
    }
}

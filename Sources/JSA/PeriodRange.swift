/// The periods of a batch, expanded from `(start, end, step)` as the reference binding does.
///
/// - `step == 0` or `start == end`: the single period `start`;
/// - `start < end`: `start, start + step, ...` while `<= end`;
/// - `start > end`: `start, start - step, ...` while `>= end`.
///
/// The expansion is computed, not stored: the range is a random-access collection of periods,
/// so a direct-write batch allocates nothing for it.
public struct PeriodRange: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible {
    public let start: Int
    public let end: Int
    public let step: Int
    /// Number of periods.
    public let count: Int
    /// Signed distance between consecutive periods (0 for a single period).
    public let stride: Int

    /// - Throws: `JSAError.invalidPeriodRange` when a bound or the step is negative (the
    ///   expansion would be empty or meaningless). A period of 0 is rejected later, against the
    ///   data, as `invalidPeriod`.
    public init(start: Int, end: Int, step: Int) throws(JSAError) {
        guard start >= 0, end >= 0, step >= 0 else {
            throw .invalidPeriodRange(start: start, end: end, step: step)
        }
        self.start = start
        self.end = end
        self.step = step
        if step == 0 || start == end {
            count = 1
            stride = 0
        } else {
            count = abs(end - start) / step + 1
            stride = start < end ? step : -step
        }
    }

    /// The single period `period`.
    public init(single period: Int) throws(JSAError) {
        try self.init(start: period, end: period, step: 0)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The period of row `row`.
    public subscript(row: Int) -> Int {
        precondition(row >= 0 && row < count, "row \(row) out of 0..<\(count)")
        return start + row * stride
    }

    /// The smallest period (first or last, as the range ascends or descends).
    public var minimum: Int { Swift.min(start, self[count - 1]) }
    /// The largest period.
    public var maximum: Int { Swift.max(start, self[count - 1]) }

    public var description: String { "\(start)...\(end) step \(step)" }
}

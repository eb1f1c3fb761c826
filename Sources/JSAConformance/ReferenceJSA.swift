/// The JSA definition written as plainly as possible, independent of the C kernels: the oracle
/// the scalar kernel is checked against.
public enum ReferenceJSA {
    /// JSA of `data` with `period`, for inputs that pass validation (at least one non-NaN value,
    /// and `period` in `1...(values from the first non-NaN on)`).
    public static func jsa(_ data: [Double], period: Int) -> [Double] {
        let first = data.firstIndex(where: { !$0.isNaN }) ?? data.count
        var out = [Double](repeating: .nan, count: data.count)
        var i = first + period
        while i < data.count {
            out[i] = (data[i] + data[i - period]) * 0.5
            i += 1
        }
        return out
    }

    /// One row per period, row-major, as `jsaBatch` lays them out.
    public static func batch(_ data: [Double], periods: some Sequence<Int>) -> [Double] {
        periods.flatMap { jsa(data, period: $0) }
    }
}

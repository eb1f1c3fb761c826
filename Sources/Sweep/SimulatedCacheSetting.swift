import BenchModel

/// The simulated caches a command line sets (`--simulated-cache`): `portable` for
/// `SimulatedCacheGeometry.portable`, or `LEVEL=SIZE,WAYS,LINE` items (`D1=32K,8,64`,
/// `LL=8M,16,64`; sizes in bytes, `K` or `M` allowed), comma-separated items joined by `;` or
/// given one per option. Levels not set are valgrind's reading of this CPU.
public enum SimulatedCacheSetting {
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses one option value into the caches it sets.
    public static func parse(_ text: String) throws(ParseError) -> [SimulatedCacheGeometry.Level: SimulatedCache] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "portable" {
            let portable = SimulatedCacheGeometry.portable
            return [.i1: portable.i1, .d1: portable.d1, .ll: portable.ll]
        }
        var caches: [SimulatedCacheGeometry.Level: SimulatedCache] = [:]
        for item in trimmed.split(separator: ";") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2,
                let level = SimulatedCacheGeometry.Level(rawValue: parts[0].trimmingCharacters(in: .whitespaces).uppercased())
            else {
                throw ParseError(description: "'\(item)' is not LEVEL=SIZE,WAYS,LINE with LEVEL one of I1, D1, LL (or 'portable')")
            }
            caches[level] = try cache(String(parts[1]), level: level)
        }
        guard !caches.isEmpty else { throw ParseError(description: "no cache given (expected 'portable' or LEVEL=SIZE,WAYS,LINE)") }
        return caches
    }

    /// `32K,8,64` → the cache, checked as valgrind checks it: a line of at least 16 bytes and a
    /// power-of-two number of sets, each a power-of-two bytes.
    static func cache(_ text: String, level: SimulatedCacheGeometry.Level) throws(ParseError) -> SimulatedCache {
        let fields = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == 3, let size = bytes(fields[0]), let ways = Int(fields[1]), let line = Int(fields[2]),
            size > 0, ways > 0, line > 0
        else { throw ParseError(description: "\(level.rawValue)=\(text): expected SIZE,WAYS,LINE, e.g. 32K,8,64") }
        func isPowerOfTwo(_ x: Int) -> Bool { x > 0 && x & (x - 1) == 0 }
        guard isPowerOfTwo(line), line >= 16 else {
            throw ParseError(description: "\(level.rawValue)=\(text): the line size must be a power of two of at least 16 bytes")
        }
        guard size % (ways * line) == 0, isPowerOfTwo(size / (ways * line)) else {
            throw ParseError(
                description: "\(level.rawValue)=\(text): size / (ways × line) must be a power of two (valgrind simulates no other)")
        }
        return SimulatedCache(sizeBytes: size, associativity: ways, lineBytes: line)
    }

    /// `32768`, `32K`, `8M` → bytes.
    static func bytes(_ text: String) -> Int? {
        let upper = text.uppercased()
        let (digits, scale) =
            upper.hasSuffix("K") ? (upper.dropLast(), 1 << 10) : upper.hasSuffix("M") ? (upper.dropLast(), 1 << 20) : (upper[...], 1)
        guard let value = Int(digits), value <= Int.max / scale else { return nil }
        return value * scale
    }
}

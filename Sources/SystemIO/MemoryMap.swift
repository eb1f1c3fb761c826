import Foundation

/// This process's mappings as Linux's /proc/self/smaps lists them: each one's address range, its
/// `VmFlags` and how many of its bytes lie in transparent huge pages.
public struct MemoryMap: Sendable {
    /// One mapping (a VMA: the kernel merges neighbouring mappings of equal flags into one).
    public struct Mapping: Equatable, Sendable {
        /// Its addresses, [start, end).
        public var range: Range<UInt>
        /// Bytes of it in transparent huge pages (`AnonHugePages`).
        public var hugeBytes: Int
        /// Its `VmFlags`: `hg` advised MADV_HUGEPAGE, `nh` MADV_NOHUGEPAGE, and so on.
        public var flags: Set<String>
    }

    public var mappings: [Mapping]

    /// Parses the text of an smaps file; lines it does not know are skipped.
    public init(smaps text: String) {
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            if let header = Self.range(ofHeader: line) {
                mappings.append(Mapping(range: header, hugeBytes: 0, flags: []))
            } else if line.hasPrefix("AnonHugePages:"), !mappings.isEmpty {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count >= 2, let kib = Int(fields[1]) { mappings[mappings.count - 1].hugeBytes = kib * 1024 }
            } else if line.hasPrefix("VmFlags:"), !mappings.isEmpty {
                mappings[mappings.count - 1].flags = Set(line.dropFirst("VmFlags:".count).split(separator: " ").map(String.init))
            }
        }
        self.mappings = mappings
    }

    /// This process's map now; nil where /proc/self/smaps cannot be read (not Linux).
    public static func current() -> MemoryMap? {
        // Read to its end with read(2): Foundation's String(contentsOfFile:) returned the first
        // 3.7 KB of it (a /proc file's size says 0).
        let descriptor = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return MemoryMap(smaps: String(decoding: PipeReader(descriptor: descriptor).readToEnd(), as: UTF8.self))
    }

    /// The mappings that overlap `range`.
    public func mappings(overlapping range: Range<UInt>) -> [Mapping] {
        mappings.filter { $0.range.overlaps(range) }
    }

    /// Bytes in huge pages of the mappings that hold `ranges`, each mapping counted once. Exact
    /// when no other memory shares those mappings — a mapping of one's own whose advice (VmFlags
    /// `hg` or `nh`) nothing else in the process gives is never merged with another's.
    public func hugeBytes(holding ranges: [Range<UInt>]) -> Int {
        var seen = Set<UInt>()
        var total = 0
        for range in ranges {
            for mapping in mappings(overlapping: range) where seen.insert(mapping.range.lowerBound).inserted {
                total += mapping.hugeBytes
            }
        }
        return total
    }

    /// "7f2a4c000000-7f2a4c400000 rw-p 00000000 00:00 0" → its range; nil for any other line.
    private static func range(ofHeader line: Substring) -> Range<UInt>? {
        guard let space = line.firstIndex(of: " "), let dash = line[..<space].firstIndex(of: "-"),
            let start = UInt(line[..<dash], radix: 16), let end = UInt(line[line.index(after: dash)..<space], radix: 16),
            start <= end
        else { return nil }
        return start..<end
    }
}

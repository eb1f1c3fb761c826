import Foundation
import SystemIO

/// This process's mappings as Linux's /proc/self/smaps lists them, for the tests: each one's
/// address range and its `VmFlags`, the advice it was given. (The sweep reads only how many bytes
/// lie in huge pages, with `HugePages`, which allocates nothing.)
struct MemoryMap: Sendable {
    /// One mapping (a VMA: the kernel merges neighbouring mappings of equal flags into one).
    struct Mapping: Equatable, Sendable {
        /// Its addresses, [start, end).
        var range: Range<UInt>
        /// Its `VmFlags`: `hg` advised MADV_HUGEPAGE, `nh` MADV_NOHUGEPAGE, and so on.
        var flags: Set<String>
    }

    var mappings: [Mapping]

    /// Parses the text of an smaps file; lines it does not know are skipped.
    init(smaps text: String) {
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            if let header = Self.range(ofHeader: line) {
                mappings.append(Mapping(range: header, flags: []))
            } else if line.hasPrefix("VmFlags:"), !mappings.isEmpty {
                mappings[mappings.count - 1].flags = Set(line.dropFirst("VmFlags:".count).split(separator: " ").map(String.init))
            }
        }
        self.mappings = mappings
    }

    /// This process's map now; nil where /proc/self/smaps cannot be read (not Linux).
    static func current() -> MemoryMap? {
        // Read to its end with read(2): Foundation's String(contentsOfFile:) returned the first
        // 3.7 KB of it (a /proc file's size says 0).
        let descriptor = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return MemoryMap(smaps: String(decoding: PipeReader(descriptor: descriptor).readToEnd(), as: UTF8.self))
    }

    /// The mappings that overlap `range`.
    func mappings(overlapping range: Range<UInt>) -> [Mapping] {
        mappings.filter { $0.range.overlaps(range) }
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

import BenchModel
import Foundation
import Testing

@testable import Measurement

/// Huge-page bytes of some address ranges, from an smaps file, read without touching the heap.
struct HugePagesTests {
    static let smaps = """
        7f0000000000-7f0000400000 rw-p 00000000 00:00 0
        Size:               4096 kB
        AnonHugePages:      2048 kB
        VmFlags: rd wr mr mw me ac hg
        7f0000400000-7f0000401000 rw-p 00000000 00:00 0
        Size:                  4 kB
        AnonHugePages:         0 kB
        VmFlags: rd wr mr mw me ac nh
        7f0000600000-7f0000a00000 rw-p 00000000 00:00 0
        AnonHugePages:      4096 kB
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
        AnonHugePages:         0 kB

        """

    func bytes(_ ranges: [Range<UInt>], smaps: String) -> Int? {
        let starts = ranges.map(\.lowerBound), ends = ranges.map(\.upperBound)
        return starts.withUnsafeBufferPointer { s in ends.withUnsafeBufferPointer { e in HugePages.bytes(starts: s, ends: e, smaps: smaps) }
        }
    }

    /// Each mapping that overlaps a range counts once, however many ranges lie in it; mappings
    /// no range touches count nothing.
    @Test func mappingsOverlappingTheRangesCountOnce() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smaps-\(UUID())")
        try Self.smaps.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(bytes([0x7f00_0000_1000..<0x7f00_0000_2000, 0x7f00_0020_0000..<0x7f00_0030_0000], smaps: file.path) == 2 << 20)
        #expect(bytes([0x7f00_003f_f000..<0x7f00_0070_0000], smaps: file.path) == 6 << 20)
        #expect(bytes([0x7f00_0040_0000..<0x7f00_0040_1000], smaps: file.path) == 0)
        #expect(bytes([0x1000..<0x2000], smaps: file.path) == 0)
        #expect(bytes([0x7f00_0000_1000..<0x7f00_0000_2000], smaps: file.path + "-missing") == nil)
    }

    /// This process's map, read to its end: a mapping advised MADV_NOHUGEPAGE has no huge pages;
    /// one advised MADV_HUGEPAGE, 2 MiB-aligned and touched, has some wherever the system's policy
    /// allows them. (That reading leaves the heap as it was is what the instruction gate's
    /// allocating cases check: a Swift reader moved them.)
    @Test func thisProcessesMappingsAreRead() throws {
        let size = 8 << 20
        let raw = try #require(mmap(nil, size + (2 << 20), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(raw, size + (2 << 20)) }
        let start = (UInt(bitPattern: raw) + UInt(2 << 20) - 1) & ~UInt((2 << 20) - 1)
        let aligned = try #require(UnsafeMutableRawPointer(bitPattern: start))
        _ = madvise(aligned, size / 2, MADV_HUGEPAGE)
        _ = madvise(aligned + size / 2, size / 2, MADV_NOHUGEPAGE)
        memset(aligned, 1, size)
        let half = UInt(size / 2)
        let huge = bytes([start..<(start + half)], smaps: HugePages.ownMap)
        let none = bytes([(start + half)..<(start + 2 * half)], smaps: HugePages.ownMap)
        #expect(none == 0)
        if Environment.transparentHugePagePolicy() != "never" {
            #expect((huge ?? 0) > 0)
        }
    }

    /// Whether huge pages are disallowed for this process, as the kernel says it in
    /// /proc/self/status (`THP_enabled: 1` where they are allowed). The tests never change it (it
    /// is the whole process's): the commands' tests do, in jsa-bench processes of their own.
    @Test func whetherHugePagesAreDisallowedIsRead() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("THP_enabled:") })
        let enabled = line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(HugePages.disallowedForThisProcess == (enabled == "0"), "\(line)")
    }
}

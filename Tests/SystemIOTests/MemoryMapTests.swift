import Foundation
import Testing

@testable import SystemIO

/// This process's mappings from /proc/self/smaps: ranges, huge-page bytes and advice flags.
struct MemoryMapTests {
    static let smaps = """
        7f0000000000-7f0000400000 rw-p 00000000 00:00 0
        Size:               4096 kB
        AnonHugePages:      2048 kB
        VmFlags: rd wr mr mw me ac hg
        7f0000400000-7f0000401000 rw-p 00000000 00:00 0
        Size:                  4 kB
        AnonHugePages:         0 kB
        VmFlags: rd wr mr mw me ac nh
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
        AnonHugePages:         0 kB
        VmFlags: ex
        """

    @Test func mappingsAreReadWithTheirHugePagesAndAdvice() {
        let map = MemoryMap(smaps: Self.smaps)
        #expect(
            map.mappings.map(\.range) == [
                0x7f00_0000_0000..<0x7f00_0040_0000, 0x7f00_0040_0000..<0x7f00_0040_1000, 0xffff_ffff_ff60_0000..<0xffff_ffff_ff60_1000
            ])
        #expect(map.mappings.map(\.hugeBytes) == [2 << 20, 0, 0])
        #expect(map.mappings[0].flags.contains("hg") && map.mappings[1].flags.contains("nh"))
    }

    /// Buffers in one mapping count its huge pages once; a range in none counts nothing.
    @Test func hugeBytesCountEachMappingOnce() {
        let map = MemoryMap(smaps: Self.smaps)
        let two: [Range<UInt>] = [0x7f00_0000_1000..<0x7f00_0000_2000, 0x7f00_0020_0000..<0x7f00_0030_0000]
        #expect(map.hugeBytes(holding: two) == 2 << 20)
        #expect(map.hugeBytes(holding: [0x7f00_0040_0000..<0x7f00_0040_1000]) == 0)
        #expect(map.hugeBytes(holding: [0x1000..<0x2000]) == 0)
        #expect(map.mappings(overlapping: 0x7f00_003f_f000..<0x7f00_0040_0010).count == 2)
    }

    /// The whole file, not its first page: a mapping made last is among those read (Foundation's
    /// String(contentsOfFile:) returned the first 3.7 KB of it).
    @Test func thisProcessesMapHoldsAMappingJustMade() throws {
        let bytes = 1 << 20
        let mapping = try #require(mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(mapping, bytes) }
        _ = madvise(mapping, bytes, MADV_NOHUGEPAGE)
        let start = UInt(bitPattern: mapping)
        let map = try #require(MemoryMap.current())
        #expect(map.mappings.count > 10)
        let holding = map.mappings(overlapping: start..<(start + UInt(bytes)))
        #expect(holding.count == 1 && holding[0].flags.contains("nh"))
    }
}

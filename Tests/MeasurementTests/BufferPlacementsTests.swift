#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import Measurement

/// Copies of buffers on physical pages of their own, exchanged at the buffers' addresses.
struct BufferPlacementsTests {
    #if canImport(Glibc)
        static let pageBytes = 4096

        /// A mapping of `pages` 4 KiB pages of its own, each page's first double its index.
        static func mapping(pages: Int) throws -> BufferPlacements.Range {
            let bytes = pages * pageBytes
            let start = try #require(mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
            try #require(start != MAP_FAILED)
            for page in 0..<pages { (start + page * pageBytes).storeBytes(of: Double(page), as: Double.self) }
            return (start, bytes)
        }

        /// Each page's first double.
        static func firstValues(_ range: BufferPlacements.Range) -> [Double] {
            (0..<(range.bytes / pageBytes)).map { (range.start + $0 * pageBytes).load(as: Double.self) }
        }

        /// The frame number of the page at `address` (/proc/self/pagemap); nil where the process may
        /// not read frame numbers (they read as 0 without CAP_SYS_ADMIN) or the page is not present.
        static func frame(of address: UnsafeMutableRawPointer) -> UInt64? {
            let file = open("/proc/self/pagemap", O_RDONLY)
            guard file >= 0 else { return nil }
            defer { close(file) }
            var entry: UInt64 = 0
            let offset = off_t(UInt(bitPattern: address) / UInt(pageBytes) * 8)
            guard pread(file, &entry, 8, offset) == 8, entry >> 63 == 1 else { return nil }
            let frame = entry & ((1 << 55) - 1)
            return frame == 0 ? nil : frame
        }

        /// The copies hold the contents the buffers had when they were made; each `advance()` moves
        /// the next one to the same addresses, in turn, and what a copy was given while it lay there
        /// is still in it when its turn comes again.
        @Test func advancingCyclesThroughTheCopiesAtTheSameAddresses() throws {
            let a = try Self.mapping(pages: 5)
            let b = try Self.mapping(pages: 3)
            defer {
                munmap(a.start, a.bytes)
                munmap(b.start, b.bytes)
            }
            let placements = try BufferPlacements(ranges: [a, b], count: 3)
            #expect(placements.count == 3 && placements.current == 0)
            a.start.storeBytes(of: -1, as: Double.self)  // after the copies were made: copy 0's alone
            var visited: [Int] = []
            for _ in 0..<6 {
                try placements.advance()
                visited.append(placements.current)
                #expect(Array(Self.firstValues(a).dropFirst()) == [1, 2, 3, 4])
                #expect(Self.firstValues(b) == [0, 1, 2])
                #expect(a.start.load(as: Double.self) == (placements.current == 0 ? -1 : 0))
            }
            #expect(visited == [1, 2, 0, 1, 2, 0])
        }

        /// Whether this process may read frame numbers (root may; others read zeros).
        static let framesReadable: Bool = {
            guard let page = try? mapping(pages: 1) else { return false }
            defer { munmap(page.start, page.bytes) }
            return frame(of: page.start) != nil
        }()

        /// The point of it: after `advance()` the buffers' addresses lie on other physical pages,
        /// and after `count` advances on the first ones again (the copies are exchanged, never
        /// redrawn). Frame numbers need root; elsewhere the test is skipped.
        @Test(.enabled(if: framesReadable, "skipped: reading frame numbers (/proc/self/pagemap) needs root"))
        func theCopiesLieOnOtherFrames() throws {
            let a = try Self.mapping(pages: 4)
            defer { munmap(a.start, a.bytes) }
            let placements = try BufferPlacements(ranges: [a], count: 2)
            let frames = { (0..<4).map { Self.frame(of: a.start + $0 * Self.pageBytes) } }
            let first = frames()
            #expect(first.allSatisfy { $0 != nil })
            try placements.advance()
            let second = frames()
            #expect(Set(first).isDisjoint(with: Set(second)), "\(first) then \(second)")
            try placements.advance()
            #expect(frames() == first)
        }

        /// One placement is the buffers' own pages: nothing to move.
        @Test func onePlacementNeverMoves() throws {
            let a = try Self.mapping(pages: 2)
            defer { munmap(a.start, a.bytes) }
            let placements = try BufferPlacements(ranges: [a], count: 1)
            let frame = Self.frame(of: a.start)
            try placements.advance()
            #expect(placements.current == 0 && Self.firstValues(a) == [0, 1])
            #expect(Self.frame(of: a.start) == frame)
        }

        /// Copies the system will not map are an error that says so, not a crash (here a range
        /// larger than the address space, after one that mapped and is unmapped again); the buffers
        /// stay as they were.
        @Test func copiesThatCannotBeMappedAreAFailure() throws {
            let a = try Self.mapping(pages: 2)
            defer { munmap(a.start, a.bytes) }
            let tooLarge: BufferPlacements.Range = (a.start, 1 << 47)  // never read: its copy cannot be mapped
            #expect {
                try BufferPlacements(ranges: [a, tooLarge], count: 2)
            } throws: { error in
                (error as? BufferPlacements.Failure)?.description.hasPrefix("cannot map a placement's copy of 137438953472 KiB") == true
            }
            #expect(Self.firstValues(a) == [0, 1])
        }
    #endif
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import CMeasurement

/// Copies of some buffers, each on physical pages of its own, one of which lies at the buffers'
/// addresses at a time: `advance()` moves the next copy's pages there (mremap), so that code
/// holding the buffers' pointers runs on another draw of physical pages, with the same contents.
///
/// Why: on 4 KiB pages each buffer's pages are whatever frames the kernel handed out, and the
/// L2 (indexed by physical address) holds only as many pages of one *colour* (frame number modulo
/// its size over its ways) as it has ways. Near the L2's capacity one draw can evict far more than
/// another: on the Intel Xeon guest of family 6 model 0xCF (L2 2 MiB, 16 ways; 2026-12-06, two
/// buffers of 100000 doubles) fresh processes' draws left 1–23 pages beyond their colours' ways
/// and moved memcpy between the buffers by up to 1.7× (`scripts/page-colours`). A process that
/// measures on one draw reports that draw; one that moves through several reports their mix.
///
/// Fresh pages cannot be had by unmapping and mapping again: the kernel hands the freed frames
/// straight back (remapping two such buffers cycled through three draws, the same frames each
/// third time). So the copies are made once, up front, while every other copy still holds its
/// frames, and only ever exchanged.
///
/// Copies are on 4 KiB pages (advised `MADV_NOHUGEPAGE`): a huge page's frames are contiguous,
/// so every colour gets its share and there is nothing to redraw.
public final class BufferPlacements {
    /// A mapping of the buffers: page-aligned, a whole mapping of its own.
    public typealias Range = (start: UnsafeMutableRawPointer, bytes: Int)

    /// The copies, the one at the buffers' addresses included (at least 1).
    public let count: Int
    /// Which copy lies at the buffers' addresses now, 0 ..< `count`; copy 0 is the buffers' own
    /// pages.
    public private(set) var current = 0
    private let ranges: [Range]
    /// Where each copy lies while it is not at the buffers' addresses, by copy, then by range; nil
    /// for `current`.
    private var parked: [[UnsafeMutableRawPointer]?]

    /// A copy that could not be made or moved (no memory, or the mapping limit).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes `count - 1` copies of the mappings `ranges` (their contents as they are now, each copy
    /// first-touched in order, so that its frames are drawn fresh).
    /// - Precondition: `count >= 1`; every range page-aligned and a whole mapping of its own.
    /// - Throws: `Failure` when a copy cannot be mapped (the copies made before are unmapped).
    public init(ranges: [Range], count: Int) throws(Failure) {
        precondition(count >= 1, "at least the buffers' own placement")
        self.count = count
        self.ranges = ranges
        parked = [nil]
        for _ in 1..<count {
            var copy: [UnsafeMutableRawPointer] = []
            for range in ranges {
                guard let mapping = mmap(nil, range.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                    mapping != MAP_FAILED
                else {
                    let reason = String(cString: strerror(errno))
                    for (k, start) in copy.enumerated() { munmap(start, ranges[k].bytes) }
                    unmapParked()
                    throw Failure(description: "cannot map a placement's copy of \(range.bytes >> 10) KiB: \(reason)")
                }
                _ = madvise(mapping, range.bytes, MADV_NOHUGEPAGE)
                memcpy(mapping, range.start, range.bytes)
                copy.append(mapping)
            }
            parked.append(copy)
        }
    }

    deinit { unmapParked() }

    private func unmapParked() {
        for copy in parked {
            for (k, start) in (copy ?? []).enumerated() { munmap(start, ranges[k].bytes) }
        }
        parked = [nil]
    }

    /// Puts the next copy (`current + 1`, modulo `count`) at the buffers' addresses; the copy that
    /// was there is parked where the kernel finds room. Nothing happens with one copy. The moved
    /// pages are cold in the TLB (and their lines in no cache): the sampler's warm calls before
    /// each sample meet that.
    /// - Throws: `Failure` when the kernel refuses a move. Every page stays mapped once and every
    ///   buffer holds its contents, but the buffers may then lie partly on one copy and partly on
    ///   another (the ranges not moved stay parked, the pages moved out take their place).
    public func advance() throws(Failure) {
        guard count > 1 else { return }
        let next = (current + 1) % count
        guard var incoming = parked[next] else { preconditionFailure("the next copy is not parked") }
        var outgoing: [UnsafeMutableRawPointer] = []
        for (k, range) in ranges.enumerated() {
            // The buffer's range stays mapped throughout (mx_exchange_mapping): a thread that maps
            // memory meanwhile cannot be handed it and then lose it to the move.
            guard let out = mx_exchange_mapping(range.start, incoming[k], range.bytes) else {
                let reason = String(cString: strerror(errno))
                incoming.replaceSubrange(0..<k, with: outgoing)
                parked[next] = incoming
                throw Failure(description: "cannot move a placement's pages: \(reason)")
            }
            outgoing.append(out)
        }
        parked[current] = outgoing
        parked[next] = nil
        current = next
    }
}

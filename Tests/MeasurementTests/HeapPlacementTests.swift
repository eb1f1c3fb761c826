#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import Measurement

/// glibc's placement of large blocks, fixed for the callgrind pass.
struct HeapPlacementTests {
    #if canImport(Glibc)
        /// Unfixed, glibc raises its mmap threshold to 4 MiB when the 4 MiB block is freed, and the
        /// 1 MiB block after it comes from the heap, wherever the heap's top lies.
        @Test func aLargeBlockLiesSixteenBytesPastAPageAfterALargerOneIsFreed() throws {
            #expect(HeapPlacement.fixLargeBlocks())
            free(malloc(4 << 20))
            let block = try #require(malloc(1 << 20))
            defer { free(block) }
            #expect(UInt(bitPattern: block) % 4096 == 16)
        }
    #endif
}

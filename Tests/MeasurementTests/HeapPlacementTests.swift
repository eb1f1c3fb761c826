#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import Measurement

/// glibc's placement of large blocks, fixed for the callgrind pass. Each check runs in a fresh
/// process (an exit test): a large block is mapped only where no free chunk of the heap can serve
/// it, which in the test runner, whose other tests free large arrays on other threads, need not
/// hold — in a fresh process, as in the callgrind worker, it does.
struct HeapPlacementTests {
    #if canImport(Glibc)
        /// Unfixed, glibc raises its mmap threshold to 4 MiB when the 4 MiB block is freed, and the
        /// 1 MiB block after it comes from the heap, wherever the heap's top lies.
        @Test func aLargeBlockLiesSixteenBytesPastAPageAfterALargerOneIsFreed() async {
            await #expect(processExitsWith: .success) {
                guard HeapPlacement.fixLargeBlocks() else { exit(2) }
                free(malloc(4 << 20))
                guard let block = malloc(1 << 20) else { exit(3) }
                exit(UInt(bitPattern: block) % 4096 == 16 ? 0 : 1)
            }
        }
    #endif
}

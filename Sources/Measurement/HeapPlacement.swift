import CMeasurement

/// Where the C library's malloc puts a large block, made independent of what the process
/// allocated and freed before — for the callgrind pass, whose allocating cases must count the
/// same instructions whatever else the process holds.
///
/// The kernels choose their loops by where input and output lie (the `avx2` kernel's
/// `lane-permute` builds lagged vectors with permutes only where both agree modulo 32 bytes), so an
/// allocating call's count depends on where malloc placed its output. glibc serves a request of
/// at least its mmap threshold with a fresh mapping (the block 16 bytes past a page boundary),
/// but raises the threshold to the size of every mapped block that is freed: after that, smaller
/// requests come from the heap, at an address set by every allocation before them. One more
/// buffer allocated elsewhere in the process once moved the allocating `avx2` case at n = 100000
/// and 1000000 from one loop to the other (19% more instructions) with no change to the kernel.
public enum HeapPlacement {
    /// glibc's initial mmap threshold, bytes: requests at least this large get a mapping of their
    /// own once `fixLargeBlocks()` has run.
    public static let mmapThresholdBytes: Int32 = 128 * 1024

    /// Fixes the mmap threshold at `mmapThresholdBytes` for the rest of the process (mallopt
    /// `M_MMAP_THRESHOLD`, which also ends glibc's adjustment of it): a block of at least that size
    /// is then a mapping of its own, 16 bytes past a page boundary, wherever no free chunk of the
    /// heap can serve it — always, in a process that calls this before any large allocation and
    /// never keeps a large block in its heap, as the callgrind worker (its workload's buffers are
    /// mappings too). Smaller blocks still come from the heap.
    ///
    /// - Returns: false where the C library has no such setting (not glibc) or refused it.
    @discardableResult
    public static func fixLargeBlocks() -> Bool {
        mx_fix_mmap_threshold(mmapThresholdBytes) == 1
    }
}

import BenchModel
import CMeasurement

/// The roofline references timed beside the kernel under test, over the same number of elements:
/// what the machine does with those bytes when no kernel logic is involved.
public enum ReferenceKernels {
    /// Bytes moved per element: memcpy reads 8 and writes 8.
    public static let memcpyBytesPerElement = 16
    /// Bytes moved per element: STREAM add reads 16 (a, b) and writes 8 (c).
    public static let streamAddBytesPerElement = 24

    /// `memcpy` of `source.count` doubles into `destination` (at least as long).
    @inlinable
    public static func copy(_ source: UnsafeBufferPointer<Double>, into destination: UnsafeMutableBufferPointer<Double>) {
        mx_copy_doubles(destination.baseAddress, source.baseAddress, source.count)
    }

    /// A vector copy loop of `source.count` doubles into `destination` (at least as long): never a
    /// memcpy call, built for the widest vectors this CPU has.
    @inlinable
    public static func copyLoop(_ source: UnsafeBufferPointer<Double>, into destination: UnsafeMutableBufferPointer<Double>) {
        mx_copy_loop(destination.baseAddress, source.baseAddress, source.count)
    }

    /// STREAM add `c[i] = a[i] + b[i]` over `a.count` elements (b and c at least as long).
    @inlinable
    public static func streamAdd(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
        into c: UnsafeMutableBufferPointer<Double>
    ) {
        mx_stream_add(c.baseAddress, a.baseAddress, b.baseAddress, a.count)
    }

    /// malloc and free of `count` doubles with the system allocator.
    @inlinable
    public static func mallocFree(_ count: Int) {
        mx_malloc_free(count * MemoryLayout<Double>.stride)
    }

    /// A Swift `[Double]` with room for `count` elements, created and released: the allocation the
    /// stdlib's array growth makes (`reserveCapacity` allocates through the same specialized path
    /// as `append(contentsOf:)`, which `jsa` uses), without initializing or copying elements.
    @inline(never)
    public static func swiftArray(_ count: Int) {
        var array: [Double] = []
        array.reserveCapacity(count)
        blackHole(array.capacity)
    }

    /// The instruction set STREAM add and the copy loop run with here (`avx512f`, `avx2` or
    /// `baseline`; the same clones).
    public static var streamAddISA: String {
        String(cString: mx_stream_add_isa())
    }
}

/// Evicts the caches by writing and reading a buffer larger than the last-level cache: the
/// preparation of a cold sample.
public final class CacheEvictor: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<UInt64>
    private var pass: UInt64 = 0

    /// What evicts every cache of `caches`: twice the L3 (the last level), at least 64 MiB.
    public static func bytes(toEvict caches: CacheTopology) -> Int {
        max(2 * (caches.l3Bytes ?? 32 << 20), 64 << 20)
    }

    /// - Parameter bytes: the buffer size; use at least twice the last-level cache
    ///   (`bytes(toEvict:)`).
    public init(bytes: Int) {
        buffer = .allocate(capacity: max(1, bytes / 8))
        buffer.initialize(repeating: 0)
    }

    deinit {
        buffer.deallocate()
    }

    public var bytes: Int { buffer.count * 8 }

    /// Touches every cache line of the buffer (a write, then a read through a black hole).
    public func evict() {
        pass &+= 1
        var sum: UInt64 = 0
        var i = 0
        while i < buffer.count {
            buffer[i] = pass &+ UInt64(i)
            sum &+= buffer[i]
            i += 8  // one 64-byte line
        }
        blackHole(sum)
    }
}

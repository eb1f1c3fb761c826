import CMeasurement

/// Consumes `value` where the optimizer cannot see: work whose result reaches a black hole cannot
/// be deleted as dead code. (An opaque, never-inlined, unoptimized function, as in
/// ordo-one/package-benchmark.)
@inline(never)
@_optimize(none)
public func blackHole<T>(_ value: T) {}

/// Marks the memory at `pointer` as read (and all memory as possibly written), like
/// google/benchmark's `DoNotOptimize`: stores into it cannot be elided, and later loads cannot be
/// hoisted out of a timing loop.
@inlinable
public func escape(_ pointer: UnsafeRawPointer) {
    mx_escape(pointer)
}

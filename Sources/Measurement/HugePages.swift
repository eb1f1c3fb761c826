import CMeasurement
import Glibc

/// How much of some address ranges the kernel backs with transparent huge pages, from
/// /proc/self/smaps (`mx_huge_page_bytes`).
///
/// Read without touching the heap: the allocating cases time malloc and the buffer it returns,
/// and where that lies follows everything the process allocated and freed before. Reading smaps
/// into a Swift string once per size moved the callgrind pass's counts (`reference/malloc_free`
/// at n = 1000 from 318 to 463 instructions per call, `native/alloc/avx2` from 2253 to 2536).
public enum HugePages {
    /// This process's memory map.
    public static let ownMap = "/proc/self/smaps"

    /// Bytes in huge pages of the mappings that `smaps` lists and that overlap any range
    /// [starts[k], ends[k]); nil where the file cannot be read (not Linux). Each mapping counts
    /// once, so buffers that share one (the kernel merges neighbouring mappings of equal advice)
    /// are counted right as long as nothing else shares it.
    /// - Precondition: `starts` and `ends` have the same count.
    public static func bytes(starts: UnsafeBufferPointer<UInt>, ends: UnsafeBufferPointer<UInt>, smaps: String = ownMap) -> Int? {
        precondition(starts.count == ends.count)
        let total = smaps.withCString { path in mx_huge_page_bytes(path, starts.baseAddress, ends.baseAddress, starts.count) }
        return total < 0 ? nil : Int(total)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whether transparent huge pages are disallowed for all of this process's memory, whatever
    /// its advice (PR_GET_THP_DISABLE); nil where the kernel cannot say.
    public static var disallowedForThisProcess: Bool? {
        switch mx_huge_pages_disallowed() {
        case 0: return false
        case 1: return true
        default: return nil
        }
    }

    /// Disallows (`true`) or allows transparent huge pages for all of this process's memory and
    /// for every process it starts from now on (PR_SET_THP_DISABLE, kept across fork and execve).
    /// Disallowed, no mapping takes them whatever its advice or the system's policy; allowed,
    /// each mapping takes what its advice and the policy give.
    public static func disallowForThisProcess(_ disallowed: Bool) throws(Failure) {
        let status = mx_set_huge_pages_disallowed(disallowed ? 1 : 0)
        if status != 0 {
            throw Failure(
                description: "cannot \(disallowed ? "disallow" : "allow") transparent huge pages for this process: "
                    + String(cString: strerror(status)))
        }
    }
}

import Foundation

/// What the Linux kernel says about memory now: how much more this process's children could take
/// before the kernel must swap or kill, and how many processes its out-of-memory killer has ended.
/// Read afresh on every call; nil where /proc does not say (not Linux, or a kernel older than
/// 3.14 for MemAvailable and 4.13 for the kill count).
public enum KernelMemory {
    /// Memory a new process could take, and the limit that says so.
    public struct Available: Equatable, Sendable {
        public enum Limit: String, Sendable {
            /// `MemAvailable` of /proc/meminfo: free memory plus the page cache and the slabs the
            /// kernel can reclaim, less its reserves.
            case system = "MemAvailable"
            /// A memory cgroup this process is in (a container's, a CI job's): its limit less what
            /// its processes use, page cache it can drop not counted.
            case cgroup = "its memory cgroup's limit"
        }

        public let bytes: Int
        public let limit: Limit

        public init(bytes: Int, limit: Limit) {
            self.bytes = bytes
            self.limit = limit
        }
    }

    /// The lesser of the system's `MemAvailable` and the headroom of every memory cgroup this
    /// process is in (and their ancestors); nil where neither can be read.
    public static func available() -> Available? {
        let system = read("/proc/meminfo").flatMap { meminfoBytes("MemAvailable", in: $0) }.map { Available(bytes: $0, limit: .system) }
        let cgroup = read("/proc/self/cgroup").flatMap { cgroupHeadroom(membership: $0, read: read) }.map {
            Available(bytes: $0, limit: .cgroup)
        }
        return [system, cgroup].compactMap { $0 }.min { $0.bytes < $1.bytes }
    }

    /// `oom_kill` of /proc/vmstat: processes the out-of-memory killer has ended since boot, in the
    /// whole system, for its memory or a cgroup's.
    public static func outOfMemoryKills() -> Int? {
        read("/proc/vmstat").flatMap { counter("oom_kill", in: $0) }
    }

    /// The field `name` of /proc/meminfo's `text` ("MemAvailable:   23224620 kB"), in bytes.
    static func meminfoBytes(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == name + ":", let value = Int(words[1]) else { continue }
            let (bytes, overflow) = value.multipliedReportingOverflow(by: words.count > 2 && words[2] == "kB" ? 1024 : 1)
            return overflow ? nil : bytes
        }
        return nil
    }

    /// The counter `name` of a "name value" per line `text` (/proc/vmstat, a cgroup's memory.stat).
    static func counter(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == name { return Int(words[1]) }
        }
        return nil
    }

    /// The least headroom — limit less usage, inactive page cache not counted as used — of the
    /// memory cgroups named in `membership` (/proc/self/cgroup: "0::/path" for cgroup v2,
    /// "4:memory:/path" for v1) and of their ancestors up to the hierarchy's mount, whose files
    /// `read` gives; nil where no limit can be read (v2's "max" is none).
    static func cgroupHeadroom(membership: String, read: (String) -> String?) -> Int? {
        var headrooms: [Int] = []
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[2].hasPrefix("/") else { continue }
            let v1 = fields[1].split(separator: ",").contains("memory")
            guard v1 || (fields[0] == "0" && fields[1].isEmpty) else { continue }
            let mount = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup"
            let files =
                v1
                ? (limit: "memory.limit_in_bytes", usage: "memory.usage_in_bytes", inactive: "total_inactive_file")
                : (limit: "memory.max", usage: "memory.current", inactive: "inactive_file")
            // From the cgroup up to the mount's root: a container sees its own cgroup there.
            var path = fields[2].split(separator: "/").map(String.init)
            while true {
                let folder = ([mount] + path).joined(separator: "/")
                func number(_ file: String) -> Int? {
                    read(folder + "/" + file).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                }
                if let limit = number(files.limit), let usage = number(files.usage) {
                    let inactive = read(folder + "/memory.stat").flatMap { counter(files.inactive, in: $0) } ?? 0
                    headrooms.append(max(0, limit - max(0, usage - inactive)))
                }
                if path.isEmpty { break }
                path.removeLast()
            }
        }
        return headrooms.min()
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}

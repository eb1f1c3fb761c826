import Foundation
import Testing
@testable import SystemIO

@Suite struct KernelMemoryTests {
    @Test func readsMeminfoInBytesAndVmstatCounters() {
        let meminfo = "MemTotal:       24731400 kB\nMemFree:        21000000 kB\nMemAvailable:   23224620 kB\n"
        #expect(KernelMemory.meminfoBytes("MemAvailable", in: meminfo) == 23_224_620 * 1024)
        #expect(KernelMemory.meminfoBytes("SwapTotal", in: meminfo) == nil)
        #expect(KernelMemory.counter("oom_kill", in: "pgfault 12\noom_kill 3\noom_kill_other 9\n") == 3)
        #expect(KernelMemory.counter("oom_kill", in: "pgfault 12\n") == nil)
    }

    /// A cgroup's headroom is its limit less its usage, inactive page cache not counted as used;
    /// the least over the cgroup and its ancestors up to the mount (a container sees its own
    /// cgroup at the root); cgroup v2's "max" and an unreadable cgroup are no limit.
    @Test func aCgroupsHeadroomIsTheLeastOverItAndItsAncestors() {
        let v1: [String: String] = [
            "/sys/fs/cgroup/memory/ci/job/memory.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/memory/ci/job/memory.usage_in_bytes": "1000000000\n",
            "/sys/fs/cgroup/memory/ci/job/memory.stat": "cache 500\ninactive_file 7\ntotal_inactive_file 400000000\n",
            "/sys/fs/cgroup/memory/ci/memory.limit_in_bytes": "3000000000\n",
            "/sys/fs/cgroup/memory/ci/memory.usage_in_bytes": "1200000000\n"
        ]
        let membership = "12:pids:/ci/job\n4:memory:/ci/job\n0::/ci/job\n"
        // The job: unlimited less 600 MB in use; its parent: 3 GB less 1.2 GB.
        #expect(KernelMemory.cgroupHeadroom(membership: membership, read: { v1[$0] }) == 1_800_000_000)

        let v2: [String: String] = [
            "/sys/fs/cgroup/memory.max": "2147483648\n",
            "/sys/fs/cgroup/memory.current": "147483648\n",
            "/sys/fs/cgroup/memory.stat": "anon 100\ninactive_file 47483648\n",
            "/sys/fs/cgroup/user.slice/memory.max": "max\n",
            "/sys/fs/cgroup/user.slice/memory.current": "5\n"
        ]
        #expect(KernelMemory.cgroupHeadroom(membership: "0::/user.slice\n", read: { v2[$0] }) == 2_147_483_648 - 100_000_000)
        #expect(KernelMemory.cgroupHeadroom(membership: "0::/user.slice\n", read: { _ in nil }) == nil)
        // A cgroup using more than its limit (page cache it has yet to drop) has none left, not less.
        let over = ["/sys/fs/cgroup/memory.max": "100\n", "/sys/fs/cgroup/memory.current": "150\n"]
        #expect(KernelMemory.cgroupHeadroom(membership: "0::/\n", read: { over[$0] }) == 0)
    }

    /// On Linux the kernel says both; what is available is below the machine's memory.
    @Test func thisSystemSaysWhatIsAvailableAndItsKills() throws {
        let available = try #require(KernelMemory.available())
        let physical = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE))
        #expect(available.bytes > 0 && available.bytes <= physical)
        #expect((KernelMemory.outOfMemoryKills() ?? -1) >= 0)
    }
}

import CJSAKernels
import Foundation
import Testing

@testable import JSA

@Suite struct OutputPagesTests {
    @Test func advisesNewOutputsFromNumPysThresholdOn() {
        #expect(JSA_HUGE_PAGE_MINIMUM_BYTES == 4 << 20)
    }

    @Test(arguments: [
        // start, bytes → whole 4 KiB pages inside, as (first, end); nil where none
        (0x10_0000 as UInt, 8192, (0x10_0000 as UInt, 0x10_2000 as UInt) as (UInt, UInt)?),
        (0x10_0030, 8192, (0x10_1000, 0x10_2000)),
        (0x10_0030, 8192 - 0x30, (0x10_1000, 0x10_2000)),
        (0x10_0030, 8192 - 0x31, nil),
        (0x10_0030, 4096, nil),
        (0x10_0000, 4095, nil),
        (0x10_0000, 0, nil)
    ])
    func advisesOnlyWholePagesInside(start: UInt, bytes: Int, expected: (UInt, UInt)?) {
        let pages = jsa_whole_pages(start, bytes, 4096)
        if let (first, end) = expected {
            #expect(pages.first == first && pages.end == end)
        } else {
            #expect(pages.first == pages.end)
        }
    }

    @Test func adviceNeedsAWholePage() {
        var small = [Double](repeating: 0, count: 8)
        #expect(small.withUnsafeMutableBytes { jsa_advise_huge_pages($0.baseAddress, $0.count) } == 1)
    }

    /// Below the threshold nothing is advised: in a fresh anonymous mapping of 4 MiB (a heap
    /// allocation could lie in memory an earlier call advised), an output one page short of it
    /// keeps its flags, the whole 4 MiB is advised.
    @Test func anOutputBelowTheThresholdIsNotAdvised() throws {
        let bytes = Int(JSA_HUGE_PAGE_MINIMUM_BYTES)
        let mapping = try #require(mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, bytes) }
        let middle = UInt(bitPattern: mapping) + UInt(bytes / 2)
        jsa_advise_new_output(mapping, bytes - 4096)
        #expect(try #require(Self.vmFlags(containing: middle)).contains("hg") == false)
        jsa_advise_new_output(mapping, bytes)
        #expect(try #require(Self.vmFlags(containing: middle)).contains("hg"))
    }

    /// The flag `hg` on the mapping that holds the middle of an allocating call's output: set by
    /// the advice whatever the system's policy (which decides only what the kernel does with it).
    @Test(arguments: [524_288, 4_194_304])
    func anAllocatingCallsLargeOutputIsAdvised(count: Int) throws {
        let input = (0..<count).map { Double($0 % 97) }
        let output = try jsa(input, period: 30, kernel: .scalar)
        let middle = output.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress! + count / 2) }
        let flags = try #require(Self.vmFlags(containing: middle))
        #expect(flags.contains("hg"))
    }

    @Test func aLargeBatchIsAdvised() throws {
        let input = (0..<262_144).map { Double($0 % 89) }
        let batch = try jsaBatch(input, periods: PeriodRange(start: 2, end: 5, step: 1), kernel: .scalar)
        let middle = batch.values.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress! + $0.count / 2) }
        let flags = try #require(Self.vmFlags(containing: middle))
        #expect(flags.contains("hg"))
    }

    /// The `VmFlags` of the mapping of this process that holds `address`, from /proc/self/smaps.
    static func vmFlags(containing address: UInt) -> [Substring]? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
            let data = try? handle.readToEnd()
        else { return nil }
        var holds = false
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
                let start = UInt(line[..<dash], radix: 16), let end = UInt(line[line.index(after: dash)..<space], radix: 16)
            {
                holds = (start..<end).contains(address)
            } else if holds, line.hasPrefix("VmFlags:") {
                return line.dropFirst("VmFlags:".count).split(separator: " ")
            }
        }
        return nil
    }
}

@Suite struct NewOutputPagesTests {
    /// One line per policy, saying whether the advice takes effect.
    @Test(arguments: [
        ("madvise", false, "they get them where the kernel finds free 2 MiB frames (transparent huge pages madvise)"),
        ("always", false, "the system gives every large mapping huge pages anyway (transparent huge pages always)"),
        ("never", false, "no effect, the system never uses huge pages (transparent huge pages never)"),
        (nil, false, "the system's transparent-huge-page policy is unknown"),
        ("madvise", true, "no effect in this process, which has huge pages disallowed (PR_SET_THP_DISABLE)")
    ])
    func saysWhatTheAdviceDoes(policy: String?, disallowed: Bool, expected: String) {
        let line = NewOutputPages.effect(policy: policy, disallowed: disallowed)
        #expect(line.hasPrefix("jsa and jsaBatch advise new outputs of 4 MiB and more huge pages"))
        #expect(line.hasSuffix(expected), "\(line)")
        #expect(!line.contains("\n"))
    }
}

import BenchModel
import Foundation
import Testing
@testable import Measurement

@Suite struct CacheTopologyTests {
    @Test func parsesSysfsSizes() {
        #expect(CacheTopology.parseSize("32K") == 32768)
        #expect(CacheTopology.parseSize("32M") == 32 << 20)
        #expect(CacheTopology.parseSize("512") == 512)
        #expect(CacheTopology.parseSize("lots") == nil)
    }

    @Test func readsLevelsFromASysfsTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let entries = [
            ("index0", "1", "Data", "48K"), ("index1", "1", "Instruction", "32K"),
            ("index2", "2", "Unified", "2048K"), ("index3", "3", "Unified", "96M")
        ]
        for (name, level, type, size) in entries {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "\(level)\n".write(to: folder.appendingPathComponent("level"), atomically: true, encoding: .utf8)
            try "\(type)\n".write(to: folder.appendingPathComponent("type"), atomically: true, encoding: .utf8)
            try "\(size)\n".write(to: folder.appendingPathComponent("size"), atomically: true, encoding: .utf8)
        }
        let topology = CacheTopology.read(sysfsRoot: root.path)
        #expect(topology == CacheTopology(l1dBytes: 48 << 10, l2Bytes: 2 << 20, l3Bytes: 96 << 20))
    }

    @Test func levelsOfWorkingSets() {
        let caches = CacheTopology(l1dBytes: 32 << 10, l2Bytes: 1 << 20, l3Bytes: 32 << 20)
        #expect(caches.level(ofWorkingSet: 16_000) == .l1)
        #expect(caches.level(ofWorkingSet: 32 << 10) == .l1)
        #expect(caches.level(ofWorkingSet: (32 << 10) + 1) == .l2)
        #expect(caches.level(ofWorkingSet: 16 << 20) == .l3)
        #expect(caches.level(ofWorkingSet: 64 << 20) == .dram)
        #expect(CacheTopology(l1dBytes: nil, l2Bytes: nil, l3Bytes: nil).level(ofWorkingSet: 1) == .dram)
    }

    @Test func thisMachineHasItsCachesRead() {
        let caches = CacheTopology.read()
        if FileManager.default.fileExists(atPath: "/sys/devices/system/cpu/cpu0/cache/index0") {
            #expect(caches.l1dBytes != nil && caches.l2Bytes != nil)
        }
    }
}

@Suite struct TrustCheckTests {
    func environment(
        build: String = "release", vm: Bool = false, governor: String? = "performance",
        load: [Double] = [0.1, 0.1, 0.1], cpus: Int = 2
    ) -> Environment {
        var environment = Environment.capture()
        environment.buildConfiguration = build
        environment.virtualMachine = vm
        environment.governor = governor
        environment.loadAverage = load
        environment.logicalCPUs = cpus
        return environment
    }

    @Test func aQuietBareMetalReleaseRunHasNoWarnings() {
        #expect(TrustChecks.warnings(for: environment()).isEmpty)
    }

    @Test func eachConditionWarnsWithItsCode() {
        #expect(TrustChecks.warnings(for: environment(build: "debug")).map(\.code) == ["debug_build"])
        #expect(TrustChecks.warnings(for: environment(vm: true)).map(\.code) == ["virtual_machine"])
        #expect(TrustChecks.warnings(for: environment(governor: nil)).map(\.code) == ["frequency_unknown"])
        #expect(TrustChecks.warnings(for: environment(governor: "powersave")).map(\.code) == ["frequency_scaling"])
        #expect(TrustChecks.warnings(for: environment(load: [1.2, 1, 1], cpus: 2)).map(\.code) == ["busy_machine"])
        #expect(TrustChecks.warnings(for: environment(load: [0.9, 1, 1], cpus: 2)).isEmpty)
        var capped = environment()
        capped.disabledCPUFeatures = ["avx512f"]
        #expect(
            TrustChecks.warnings(for: capped).map(\.message) == [
                "JSA_DISABLE_CPU_FEATURES=avx512f: the kernels and auto run as on a CPU without avx512f"
            ])
        capped.disabledCPUFeatures = []
        #expect(TrustChecks.warnings(for: capped).isEmpty)
    }

    @Test func captureReadsThisMachine() {
        let environment = Environment.capture()
        #expect(environment.logicalCPUs >= 1)
        #expect(!environment.kernel.isEmpty && environment.kernel != "unknown")
        #expect(environment.cCompiler.hasPrefix("clang") || environment.cCompiler.hasPrefix("gcc"))
        #if DEBUG
            #expect(environment.buildConfiguration == "debug")
        #endif
        let policy = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        #expect(environment.transparentHugePages == Environment.transparentHugePagePolicy(in: policy))
    }

    /// A /proc file is read to its end, though its size says 0 (Foundation's String(contentsOfFile:)
    /// stopped at 3787 bytes of this one); a missing file is nil.
    @Test func aProcFileIsReadToItsEnd() throws {
        let smaps = try #require(SysfsText.read("/proc/self/smaps"))
        #expect(smaps.utf8.count > 16_384)
        #expect(smaps.split(separator: "\n").last?.hasPrefix("VmFlags:") == true)
        #expect(SysfsText.read("/proc/self/no-such-file") == nil)
    }

    /// The transparent-huge-page mode is the bracketed word of sysfs's list.
    @Test func theHugePagePolicyIsTheMarkedChoice() {
        #expect(Environment.transparentHugePagePolicy(in: "always [madvise] never\n") == "madvise")
        #expect(Environment.transparentHugePagePolicy(in: "[always] madvise never") == "always")
        #expect(Environment.transparentHugePagePolicy(in: "always madvise never") == nil)
        #expect(Environment.transparentHugePagePolicy(in: nil) == nil)
    }
}

@Suite struct ResourceUsageTests {
    @Test func arithmeticAndPerCall() {
        let a = ResourceUsage(minorFaults: 10, majorFaults: 2, voluntaryContextSwitches: 4, involuntaryContextSwitches: 6)
        let b = ResourceUsage(minorFaults: 4, majorFaults: 0, voluntaryContextSwitches: 1, involuntaryContextSwitches: 2)
        #expect((a - b) == ResourceUsage(minorFaults: 6, majorFaults: 2, voluntaryContextSwitches: 3, involuntaryContextSwitches: 4))
        #expect((a + b).minorFaults == 14)
        #expect(a.perCall(2) == ResourceUsage(minorFaults: 5, majorFaults: 1, voluntaryContextSwitches: 2, involuntaryContextSwitches: 3))
    }

    @Test func firstTouchOfFreshPagesIsCounted() {
        let before = ResourceUsage.now()
        let pages = 256
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: pages * 4096 + (64 << 20), alignment: 4096)
        defer { buffer.deallocate() }
        for page in 0..<pages { buffer.storeBytes(of: 1, toByteOffset: page * 4096, as: UInt8.self) }
        #expect((ResourceUsage.now() - before).minorFaults >= Double(pages) / 2)
    }
}

@Suite struct CPUTimeSharesTests {
    @Test func parsesTheAggregateLineAndComputesSteal() throws {
        let start = try #require(CPUTimeShares.parse("cpu  100 0 50 800 10 0 0 40 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"))
        #expect(start == CPUTimeShares(total: 1000, idle: 810, steal: 40))
        let end = CPUTimeShares(total: 2000, idle: 1500, steal: 90)
        #expect(end.stealFraction(since: start) == 0.05)
        #expect(start.stealFraction(since: start) == nil)
        #expect(CPUTimeShares.parse("intr 1 2 3") == nil)
        #expect(CPUTimeShares.parse("cpu  1 2 3") == nil)
    }
}

@Suite struct CPUAffinityTests {
    @Test func aCPUThatCannotExistIsRefusedWithTheReason() {
        #expect(throws: CPUAffinity.Failure.self) { try CPUAffinity.pin(to: -1) }
        #expect {
            try CPUAffinity.pin(to: 1 << 20)
        } throws: { error in
            (error as? CPUAffinity.Failure)?.description.hasPrefix("cannot pin to CPU 1048576: ") == true
        }
    }
}

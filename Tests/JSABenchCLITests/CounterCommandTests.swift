import Foundation
import Testing

@Suite(.serialized) struct CounterCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-counters-\(UUID())")

    @Test func envPrintsPAPIAndItsComponents() throws {
        let text = try JSABenchProcess.run(["env"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("PAPI:     7."))
        #expect(text.stdout.contains("component 0 perf_event:"))
        #expect(text.stdout.contains("\nOutputs:  jsa and jsaBatch advise new outputs of 4 MiB and more huge pages"))
        // What a measuring process could take now, and the largest size that leaves.
        #expect(text.stdout.contains("\nMemory:   ") && text.stdout.contains(" available now ("))
        #expect(text.stdout.contains("): a measuring process holds 56 B per element at large sizes, so --sizes up to about "))
        // Where the kernels stream: from a size and why, or never where the L3 is unknown.
        #expect(
            text.stdout.contains("\nStreams:  SIMD calls writing ")
                || text.stdout.contains("\nStreams:  the SIMD kernels never stream"))
        let json = try JSABenchProcess.run(["env", "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let papi = object["papi"] as! [String: Any]
        #expect(papi["version"] as? String != nil)
        #expect((papi["components"] as! [[String: Any]]).allSatisfy { $0["enabled"] is Bool && $0["name"] is String })
        #expect((object["kernels"] as! [String: String])["scalar"] == "available")
        #expect((object["availableMemoryBytes"] as? Int ?? 0) > 0 && object["availableMemoryLimit"] as? String != nil)
    }

    /// On a machine without a PMU the sweep completes, and every counter carries PAPI's reason;
    /// counting, it measures in fresh workers (which count around their own samples) as without.
    @Test func sweepWithCountersRecordsAvailabilityAndCompletes() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("c.json").path
        let result = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--samples", "3", "--kernels", "scalar",
            "--counters", "core,vector", "--processes", "2", "--out", out
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Counters: "))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let events = (json["counters"] as! [String: Any])["events"] as! [[String: Any]]
        #expect(events.map { $0["name"] as! String }.prefix(3) == ["PAPI_TOT_CYC", "PAPI_REF_CYC", "PAPI_TOT_INS"])
        #expect(events.count == 7)
        #expect(events.allSatisfy { ($0["available"] as! Bool) || !($0["unavailable_reason"] as? String ?? "").isEmpty })
        #expect(json["complete"] as? Bool == true)
        let diagnostics = json["diagnostics"] as! [[String: Any]]
        #expect(diagnostics.contains { ($0["message"] as? String)?.contains("spread over 2 fresh measuring processes") == true })
        let cases = json["cases"] as! [[String: Any]]
        #expect(cases.contains { Set($0["sample_processes"] as? [Int] ?? []) == [0, 1] })
    }

    /// Ctrl-C while valgrind counts: jsa-bench terminates it and keeps every native case. The
    /// stand-in `valgrind` (first on PATH) says it started and then never finishes.
    @Test func ctrlCDuringTheCallgrindPassStopsValgrind() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("cg.json").path
        let valgrind = try StuckChild(named: "valgrind", in: folder)
        try valgrind.interruptRun(
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2", "--no-python",
                "--no-report", "--counters", "callgrind", "--out", out
            ],
            environment: ["PATH": folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")],
            out: out, failureMarkers: ["callgrind_failed", "no instruction counts"])
    }

    /// Asking for valgrind's counts where there is no valgrind: one line, 69, before anything runs.
    @Test func countingUnderValgrindWithoutValgrindIsAClearError() throws {
        for group in ["callgrind", "cachesim"] {
            let result = try JSABenchProcess.run(
                ["sweep", "--sizes", "1000", "--counters", group, "--no-python", "--out", "/tmp/unused-\(UUID()).json"],
                environment: ["PATH": "/nonexistent"])
            #expect(result.status == 69)
            #expect(
                result.stderr == "jsa-bench: error: --counters \(group) needs valgrind, which is not installed (apt-get install valgrind)\n"
            )
        }
        let stray = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--simulated-cache", "portable", "--out", "/tmp/unused.json"])
        #expect(stray.status == 64)
        #expect(stray.stderr.contains("--simulated-cache goes with --counters cachesim"))
        let bad = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000", "--counters", "cachesim", "--simulated-cache", "LL=105M,15,64", "--out", "/tmp/unused.json"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("LL=105M,15,64: size / (ways × line) must be a power of two"))
    }

    @Test func unknownEventsAndGroupsAreUsageErrors() throws {
        let event = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--events", "PAPI_TOT_CYC,NO_SUCH_EVENT_XYZ", "--out", "/tmp/unused.json"
        ])
        #expect(event.status == 64)
        #expect(event.stderr.contains("unknown event 'NO_SUCH_EVENT_XYZ'") && event.stderr.contains("jsa-bench env"))
        let group = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--counters", "memory", "--out", "/tmp/unused.json"])
        #expect(group.status == 64)
        #expect(group.stderr.contains("unknown group 'memory'"))
    }
}

/// The DWARF-4 release build that scripts/callgrind (and scripts/test) make for valgrind.
enum CallgrindBuild {
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/release/jsa-bench").path

    static var skipReason: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        if !path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/valgrind") }) {
            return "valgrind is not installed"
        }
        if !FileManager.default.isExecutableFile(atPath: executable) {
            return "\(executable) is missing: run swift build -c release"
        }
        return nil
    }
}

@Suite(.serialized, .enabled(if: CallgrindBuild.skipReason == nil, "skipped: \(CallgrindBuild.skipReason ?? "")"))
struct CallgrindModeTests {
    func instructionCounts() throws -> [String: [String: Any]] {
        // A folder of its own: the sweep writes its report and charts beside the JSON.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CallgrindBuild.executable)
        process.arguments = [
            "sweep", "--sizes", "1000,4096", "--kernels", HostCPU.kernelList("scalar,avx2,avx512,auto"), "--samples", "2",
            "--min-sample-ms", "0.1", "--counters", "callgrind", "--out", out, "--quiet"
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        var counts: [String: [String: Any]] = [:]
        for c in json["cases"] as! [[String: Any]] {
            if let instructions = c["instructions"] as? [String: Any] { counts[c["id"] as! String] = instructions }
        }
        return counts
    }

    /// `--counters cachesim` end to end under valgrind, on a tiny size with the scalar kernel
    /// (every machine runs it): what valgrind simulated, and counts that follow from the kernel.
    @Test func theCacheSimulationIsDeterministicAndMatchesTheKernel() throws {
        func run() throws -> [String: Any] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(UUID()).json").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CallgrindBuild.executable)
            process.arguments = [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.1", "--no-python",
                "--no-report", "--counters", "cachesim", "--simulated-cache", "portable", "--out", out, "--quiet"
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        }
        func simulated(_ document: [String: Any], _ id: String) -> [String: Any]? {
            (document["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }?["simulated"] as? [String: Any]
        }
        let first = try run()
        let second = try run()
        let setup = try #require(first["cache_simulation"] as? [String: Any])
        let d1 = (setup["geometry"] as? [String: Any])?["d1"] as? [String: Int]
        #expect(d1 == ["size_bytes": 32768, "associativity": 8, "line_bytes": 64])
        #expect(setup["geometry_source"] as? String == "set")
        let into = try #require(simulated(first, "native/into/scalar/n=1000/p=30"))
        // 970 outputs (n − period), one scalar add and one multiply each.
        #expect((into["fp_mix"] as? [String: Double])?["scalar"] == 1940)
        #expect((into["fp_mix"] as? [String: Double])?["packed_256"] == 0)
        let perElement = try #require(into["instructions_per_element"] as? Double)
        #expect(perElement > 6 && perElement < 10, "\(perElement) instructions per element")
        #expect(into["d1_misses_per_element"] as? Double == 0)  // 16 KB warm in a 32 KiB D1
        #expect(into["vector_width_mismatch"] == nil)
        for id in [
            "native/into/scalar/n=1000/p=30", "native/alloc/scalar/n=1000/p=30", "reference/malloc_free/n=1000",
            "reference/swift_array/n=1000"
        ] {
            let a = try #require(simulated(first, id)?["per_call"] as? [String: Double], "\(id) not simulated")
            #expect(a == simulated(second, id)?["per_call"] as? [String: Double], "\(id) differs between runs")
            // The uncounted pass ran the very code of the counted one, so no instruction line is
            // fetched for the first time while counted (else the counts move with the code layout).
            #expect(a["I1mr"] == 0 && a["ILmr"] == 0, "\(id): instruction misses while warm: \(a)")
        }
    }

    @Test func countsAreDeterministicAndTellTheKernelsApart() throws {
        let first = try instructionCounts()
        let second = try instructionCounts()
        let ids =
            ["native/into/scalar/n=1000/p=30", "native/alloc/scalar/n=4096/p=30"]
            + (HostCPU.effective.supports(.avx2) ? ["native/into/avx2/n=1000/p=30", "native/alloc/avx2/n=4096/p=30"] : [])
        for id in ids {
            let a = try #require(first[id]?["per_call"] as? Double, "\(id) not counted")
            #expect(a == second[id]?["per_call"] as? Double, "\(id) differs between runs")
        }
        // What valgrind runs: AVX2 where this machine (under the test's cap) has it, never AVX-512.
        let avx2Here = HostCPU.effective.supports(.avx2)
        if avx2Here {
            let scalar = try #require(first["native/into/scalar/n=4096/p=30"]?["per_element"] as? Double)
            let avx2 = try #require(first["native/into/avx2/n=4096/p=30"]?["per_element"] as? Double)
            #expect(scalar > 3 * avx2, "scalar \(scalar) vs avx2 \(avx2) instructions per element")
        }
        if HostCPU.effective.supports(.avx512) {
            let avx512 = try #require(first["native/into/avx512/n=1000/p=30"])
            #expect(avx512["per_call"] == nil)
            #expect((avx512["unavailable_reason"] as? String)?.contains("cannot execute AVX-512") == true)
        }
        #expect(first["native/into/auto/n=1000/p=30"]?["resolved_kernel"] as? String == (avx2Here ? "avx2" : "scalar"))
    }
}

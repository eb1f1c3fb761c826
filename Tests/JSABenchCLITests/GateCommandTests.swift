import Foundation
import Testing

@Suite(.serialized) struct GateCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-gate-\(UUID())")

    /// A real (debug-build) sweep, rewritten as a release run with its samples transformed and
    /// its analysis dropped (derived from the old samples; the reader analyses the new ones).
    /// Every speed probe reads the same: the invented samples come from a steady host, and the
    /// measured probes would otherwise pick a subset of rounds for the fast-level estimate (a
    /// host that switched speed while the sweep ran made `noisy` below read 1.5× slower).
    /// `transform` takes the case's id, the sample's index and its value.
    func results(_ name: String, from source: [String: Any], transform: (String, Int, Double) -> Double) throws -> String {
        var object = source
        var run = object["run"] as! [String: Any]
        run["build_configuration"] = "release"
        object["run"] = run
        object["analysis"] = nil
        object["cases"] = (object["cases"] as! [[String: Any]]).map { c -> [String: Any] in
            var c = c
            let id = c["id"] as! String
            c["samples_ns"] = (c["samples_ns"] as! [Double]).enumerated().map { transform(id, $0, $1) }
            c["probes_ns"] = (c["probes_ns"] as! [Double]).map { _ in 10_000 }
            c["estimates"] = nil
            return c
        }
        let path = folder.appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func exitCodesFollowTheVerdicts() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let measured = folder.appendingPathComponent("measured.json").path
        let sweep = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "12", "--processes", "4",
            "--min-sample-ms", "0.2", "--no-python", "--no-report", "--out", measured, "--quiet"
        ])  // three rounds per process: `noisy` below alternates within each process and between them
        #expect(sweep.status == 0)
        let source = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: measured))) as! [String: Any]
        let flat: (String, Int, Double) -> Double = { _, i, _ in 1000 * (1 + 0.002 * Double(i % 3)) }
        let base = try results("base.json", from: source, transform: flat)
        let same = try results("same.json", from: source, transform: flat)
        // The kernel's cases 10% slower, the references (memcpy, STREAM add) not: where they move
        // too, the machine moved, and the gate says inconclusive.
        let slower = try results(
            "slower.json", from: source, transform: { id, i, v in flat(id, i, v) * (id.hasPrefix("reference/") ? 1 : 1.10) })
        let noisy = try results("noisy.json", from: source, transform: { id, i, v in flat(id, i, v) * (i % 2 == 0 ? 0.6 : 1.5) })
        let machineMoved = try results("machine.json", from: source, transform: { id, i, v in flat(id, i, v) * 1.10 })

        #expect(try JSABenchProcess.run(["gate", "--baseline", base, same]).status == 0)
        let regression = try JSABenchProcess.run(["gate", "--baseline", base, slower])
        #expect(regression.status == 1)
        #expect(regression.stdout.contains("slower") && regression.stdout.contains("Gate: regression (exit 1)."))
        let inconclusive = try JSABenchProcess.run(["gate", "--baseline", base, noisy])
        #expect(inconclusive.status == 3)
        #expect(inconclusive.stdout.contains("exceeds the ±5.0% threshold by"))
        #expect(try JSABenchProcess.run(["gate", "--baseline", base, slower, "--threshold-for", "*=20%"]).status == 0)
        let moved = try JSABenchProcess.run(["gate", "--baseline", base, machineMoved])
        #expect(moved.status == 3)
        #expect(moved.stdout.contains("a reference, not the code under test, moved: 10.0% slower"), "\(moved.stdout)")

        let unfit = try JSABenchProcess.run(["gate", "--baseline", measured, same])
        #expect(unfit.status == 4)
        #expect(unfit.stderr.contains("the baseline is a debug build"))
        #expect(try JSABenchProcess.run(["gate", "--baseline", measured, measured, "--allow-mismatch"]).status != 4)

        let broken = folder.appendingPathComponent("broken.json").path
        try "{\"schema\": ".write(toFile: broken, atomically: true, encoding: .utf8)
        let malformed = try JSABenchProcess.run(["gate", "--baseline", broken, same])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains(broken))
        #expect(try JSABenchProcess.run(["gate", "--baseline", "/nonexistent.json", same]).status == 66)
        #expect(try JSABenchProcess.run(["gate", "--baseline", base, same, "--threshold", "lots"]).status == 64)
        // Every case left out: one line and 65, no table whose "Gate: pass" would contradict it.
        let nothing = try JSABenchProcess.run(["gate", "--baseline", base, same, "--skip", "*"])
        #expect(nothing.status == 65)
        #expect(nothing.stderr.contains("has time to compare with \(base) (--skip * left out "), "\(nothing.stderr)")
        #expect(nothing.stdout.isEmpty, "\(nothing.stdout)")
        let compare = try JSABenchProcess.run(["compare", base, slower, "--format", "markdown"])
        #expect(compare.status == 0 && compare.stdout.hasPrefix("| case |"))
    }
}

@Suite(.serialized) struct GateABTests {
    /// Without `--kernels`, the gate compares scalar, avx2 and auto where the CPU runs avx2, and
    /// scalar and auto on one (or under a cap) without it, rather than refuse with 69.
    @Test func theDefaultKernelsAreThoseThisCPURuns() throws {
        let result = try JSABenchProcess.run(
            [
                "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2", "--sizes", "200",
                "--samples", "2", "--allow-mismatch"
            ], environment: ["JSA_DISABLE_CPU_FEATURES": "avx512f,avx2"])
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("scalar") && !result.stdout.contains("avx2"), "\(result.stdout)")
    }

    /// Way b with this build on both sides: never a regression verdict.
    @Test func sameBuildAgainstItselfIsNoRegression() throws {
        let noise = FileManager.default.temporaryDirectory.appendingPathComponent("noise-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: noise) }
        let result = try JSABenchProcess.run([
            "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
            "--sizes", "200", "--kernels", "scalar", "--samples", "2", "--noise", noise,
            "--allow-mismatch"
        ])
        #expect(result.status == 0 || result.status == 3, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("gate: "))
        // Two rounds can call nothing slower or faster, and the gate says so as soon as it knows.
        #expect(result.stderr.contains("2 rounds cannot be significant over "), "\(result.stderr)")
        let calibrate = try JSABenchProcess.run([
            "gate", "--calibrate", "--rounds", "2", "--sizes", "200", "--kernels", "scalar",
            "--samples", "2", "--noise", noise, "--allow-mismatch"
        ])
        #expect(calibrate.status == 0, "\(calibrate.stderr)")
        let floor = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: noise))) as! [String: Any]
        #expect(floor["schema"] as? String == "jsa-bench/noise/v1")
        #expect(!(floor["cases"] as! [String: Double]).isEmpty)
        let refused = try JSABenchProcess.run([
            "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
            "--sizes", "200", "--kernels", "scalar", "--samples", "2", "--noise", noise,
            "--threshold", "0.0001%", "--allow-mismatch"
        ])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("is below its noise floor"))
        // A gate measured otherwise than the floor is refused, saying how: the floor says nothing of it.
        func refusedFloor(_ flags: [String], saying message: String) throws {
            let other = try JSABenchProcess.run(
                [
                    "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
                    "--sizes", "200", "--kernels", "scalar", "--samples", "2", "--noise", noise, "--allow-mismatch"
                ] + flags)
            #expect(other.status == 64 && other.stderr.contains(message), "\(flags): \(other.stderr)")
        }
        // Measured on 4 KiB pages: nothing of a gate on huge pages.
        #expect(floor["pages"] as? String == "base")
        try refusedFloor(
            ["--pages", "huge"],
            saying: "a noise floor measured on 4 KiB pages, where this gate runs on 2 MiB huge pages; calibrate with --pages huge")
        // Measured on eight placements of the buffers per worker: nothing of a gate on one.
        #expect(floor["placements"] as? Int == 8)
        try refusedFloor(
            ["--placements", "1"],
            saying: "a noise floor measured on 8 placements of the buffers per worker, where this gate measures on 1; "
                + "calibrate with --placements 1 into another --noise file, or pass --placements 8")
    }

    /// Ctrl-C after two rounds: the comparison of the finished rounds is printed, the exit code is
    /// the interruption's (not a verdict's), and no noise floor is written.
    @Test func ctrlCShowsTheFinishedRounds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gate-ctrl-c-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("stderr").path
        let noise = folder.appendingPathComponent("noise.json").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let result = try JSABenchProcess.run(
            [
                "gate", "--calibrate", "--rounds", "1000", "--sizes", "200", "--kernels", "scalar", "--samples", "2",
                "--noise", noise, "--allow-mismatch"
            ], standardError: standardError,
            interruptWhen: { _ in (try? String(contentsOfFile: log, encoding: .utf8))?.contains("gate round 2 of 1000 done") ?? false })
        try standardError.close()
        let stderr = try String(contentsOfFile: log, encoding: .utf8)
        #expect(result.status == 130, "\(stderr)")
        let rounds = try #require(stderr.firstMatch(of: /interrupted after (\d+) of 1000 rounds; the comparison above holds those/))
        #expect(Int(rounds.1)! >= 2)
        #expect(result.stdout.contains("native/into/scalar/n=200/p=30"))
        #expect(result.stdout.contains("\(rounds.1) rounds)"))
        #expect(!FileManager.default.fileExists(atPath: noise))
    }

    /// Builds that cannot take part, or whose timings mean nothing, are unfit (exit 4).
    @Test func unfitBuildsAreRefused() throws {
        let debug = try JSABenchProcess.run([
            "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
            "--sizes", "200", "--kernels", "scalar", "--samples", "1"
        ])
        #expect(debug.status == 4)
        #expect(debug.stderr.contains("is a debug build"))
        let foreign = try JSABenchProcess.run([
            "gate", "--baseline-exec", "/bin/true", "--rounds", "2", "--sizes", "200", "--kernels", "scalar"
        ])
        #expect(foreign.status == 4)
        #expect(foreign.stderr.contains("/bin/true sampling-worker ended without starting (it exited 0)"))
        #expect(try JSABenchProcess.run(["gate", "--baseline-exec", "/bin/true", "--sizes", "0"]).status == 64)
    }

    /// Both builds' workers start with huge pages disallowed on `--pages base` (so that what they
    /// allocate for themselves lies on 4 KiB pages whatever the system's policy) and allowed on
    /// `huge`; a baseline build from before `--pages` gets the same, from the gate.
    @Test func theWorkersOfBothBuildsStartOnThePagesAsked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gate-pages-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("record").path
        let worker = folder.appendingPathComponent("worker").path
        try """
        #!/bin/sh
        sed -n 's/^THP_enabled:[[:space:]]*//p' /proc/self/status >> '\(record)'
        exit 3

        """.write(toFile: worker, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: worker)
        for pages in ["base", "huge"] {
            let result = try JSABenchProcess.run([
                "gate", "--baseline-exec", worker, "--rounds", "2", "--sizes", "200", "--kernels", "scalar", "--pages", pages
            ])
            #expect(result.status == 4, "\(result.stderr)")
        }
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "0\n1\n")
    }

    /// A worker that cannot measure (here: a size whose buffers the system will not map under an
    /// address-space limit) fails the gate with its reason and exit 71, not as unfit.
    /// `--skip` that leaves out every case stops before the first round, in one line with 65.
    @Test func skippingEveryCaseStopsBeforeAnyRound() throws {
        let gate = try JSABenchProcess.run([
            "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "9", "--sizes", "200",
            "--kernels", "scalar", "--skip", "native/*,reference/*,batch/*", "--allow-mismatch"
        ])
        #expect(gate.status == 65)
        #expect(
            gate.stderr.contains(
                "the two builds share no timed case after --skip native/*,reference/*,batch/*"),
            "\(gate.stderr)")
        #expect(!gate.stderr.contains("gate round") && gate.stdout.isEmpty)
    }

    @Test func aWorkerThatCannotMeasureExits71() throws {
        let gate = [
            JSABenchProcess.executable.path, "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
            "--sizes", "1000,50000000", "--kernels", "scalar", "--samples", "1"
        ]
        // 1.5 GiB of address space: the processes and n = 1000 fit, the buffers of n = 5e7 (2 GB) do not.
        let result = try JSABenchProcess.run(["-c", "ulimit -v 1500000 && exec \"$@\"", "sh"] + gate, executable: "/bin/sh")
        #expect(result.status == 71, "\(result.stderr)")
        #expect(result.stderr.contains("sampling-worker could not start measuring: n = 50000000: cannot map"), "\(result.stderr)")
    }

    /// One build against itself with another kernel variant forced on each side: the workers
    /// start with each side's assignments, and say which variants they ran.
    @Test func eachSideStartsWithItsEnvironment() throws {
        let result = try JSABenchProcess.run([
            "gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
            "--sizes", "200", "--kernels", "scalar", "--samples", "1", "--allow-mismatch",
            "--baseline-env", "JSA_AVX2_VARIANT=split-loads", "--head-env", "JSA_AVX2_VARIANT=lane-permute"
        ])
        #expect(result.status == 0 || result.status == 3, "\(result.stdout)\n\(result.stderr)")
        let avx2 = HostCPU.effective.supports(.avx2)
        #expect(
            result.stderr.contains(
                "base with JSA_AVX2_VARIANT=split-loads: \(avx2 ? "avx2 split-loads" : "no SIMD kernel")"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "head with JSA_AVX2_VARIANT=lane-permute: \(avx2 ? "avx2 lane-permute" : "no SIMD kernel")"),
            "\(result.stderr)")
        #expect(result.stderr.contains("(forced by JSA_AVX2_VARIANT=split-loads)"))
        #expect(result.stderr.contains("(forced by JSA_AVX2_VARIANT=lane-permute)"))
    }

    /// Bad assignments, a variant no CPU or this one runs, or environments without two builds'
    /// workers to give them to: usage errors in one line, before any round.
    @Test func badEnvironmentsAreUsageErrors() throws {
        let gate = ["gate", "--baseline-exec", JSABenchProcess.executable.path, "--sizes", "200", "--kernels", "scalar"]
        for (arguments, message) in [
            (["--baseline-env", "NOVALUE"], "'NOVALUE' is not NAME=VALUE"),
            (["--head-env", "2X=1"], "'2X' is not a variable name"),
            (["--head-env", "JSA_AVX2_VARIANT=bogus"], "--head-env: JSA_AVX2_VARIANT: unknown variant 'bogus'"),
            (["--baseline-env", "A=1", "--baseline-env", "A=2"], "--baseline-env: A is assigned twice"),
            (
                ["--baseline-env", "JSA_DISABLE_CPU_FEATURES=sse9"],
                "--baseline-env: JSA_DISABLE_CPU_FEATURES: unknown CPU feature 'sse9'"
            )
        ] {
            let result = try JSABenchProcess.run(gate + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        let calibration = try JSABenchProcess.run([
            "gate", "--calibrate", "--head-env", "A=1", "--sizes", "200", "--kernels", "scalar"
        ])
        #expect(calibration.status == 64)
        #expect(calibration.stderr.contains("--baseline-env and --head-env go with --baseline-exec"))
    }

    @Test func modesAreExclusive() throws {
        #expect(try JSABenchProcess.run(["gate"]).status == 64)
        #expect(try JSABenchProcess.run(["gate", "--calibrate", "--baseline-exec", "/bin/true"]).status == 64)
        #expect(try JSABenchProcess.run(["gate", "--baseline", "a.json"]).status == 64)
    }
}

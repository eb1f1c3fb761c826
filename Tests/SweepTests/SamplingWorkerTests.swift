import BenchModel
import Foundation
import JSA
import Measurement
import Testing
@testable import Sweep

@Suite struct MeasuringProcessTests {
    @Test func aLocalMeasuringProcessOffersEveryVerifiedCaseAndSamplesThemInRounds() throws {
        let setup = WorkerSetup(sizes: [50, 200], kernels: [.scalar, .auto], minimumSampleMs: 0.05)
        let measurer = try LocalMeasuringProcess(setup: setup)
        #expect(measurer.hello.protocolVersion == WorkerProtocol.version)
        // Its hello says how each size's buffers were paged: 4 KiB pages, none huge.
        let backing = try #require(measurer.hello.pageBacking)
        #expect(backing.map(\.n) == [50, 200] && backing.allSatisfy { $0.backing.bytes > 0 && $0.backing.hugeBytes == 0 })
        #expect(measurer.cases.allSatisfy { $0.verified })
        // Per size (both hold the largest batch period, 40): 5 variants × 2 kernels, 2 batches, memcpy, the copy
        // loop, STREAM add, malloc/free, Swift array.
        #expect(measurer.cases.count == 2 * (5 * 2 + 2 + 5))
        #expect(measurer.cases.count == 2 * SweepCaseFactory.maximumCases(kernels: 2))  // what a hello's wait counts on
        #expect(setup.helloSamples == measurer.cases.count * AnswerTimeout.calibrationSamples)
        #expect(measurer.cases.contains { $0.id == "native/into/auto/n=200/p=30" })
        #expect(measurer.cases.allSatisfy { $0.iterationsPerSample >= 1 })
        let indices = Array(measurer.cases.indices.prefix(5))
        let samples = try measurer.round(3, cases: indices)
        #expect(samples.count == 5 && samples.allSatisfy { $0.ns > 0 && $0.ns.isFinite && ($0.probeNs ?? 0) > 0 })
        let used = measurer.usage()
        #expect(used.usage.count == measurer.cases.count && used.counters == nil)
        #expect(used.calls.prefix(5) == ArraySlice(indices.map { measurer.cases[$0].iterationsPerSample }))
        #expect(used.calls.dropFirst(5).allSatisfy { $0 == 0 })
    }

    /// A measuring process asked for placements holds them for every size its buffers allow and
    /// says so in its hello; its rounds and single samples move through them (each on the next).
    @Test func aLocalMeasuringProcessMovesThroughItsPlacements() throws {
        let setup = WorkerSetup(sizes: [200, 5000], kernels: [.scalar], minimumSampleMs: 0.05, placements: 3)
        let measurer = try LocalMeasuringProcess(setup: setup)
        let backing = try #require(measurer.hello.pageBacking)
        #expect(backing.map(\.n) == [200, 5000] && backing.allSatisfy { $0.placements == 3 })
        let into = try #require(measurer.cases.firstIndex { $0.id == "native/into/scalar/n=5000/p=30" })
        for round in 0..<4 {
            let samples = try measurer.round(round, cases: [into, 0])
            #expect(samples.allSatisfy { $0.ns > 0 && $0.ns.isFinite })
            #expect(try measurer.sample(into).ns > 0)
        }
        // Without placements asked: one, the buffers' own pages.
        let single = try LocalMeasuringProcess(setup: WorkerSetup(sizes: [200], kernels: [.scalar], minimumSampleMs: 0.05))
        #expect(try #require(single.hello.pageBacking).allSatisfy { $0.placements == 1 })
    }

    /// A later measuring process of a size takes the cases an earlier one verified as they are:
    /// verified, sampled at the earlier process's iterations (3, where calibrating 0.05 ms of
    /// 200-element calls would give hundreds); a case the earlier one did not verify it verifies
    /// and calibrates itself.
    @Test func aLaterProcessTakesTheCasesAnEarlierOneVerifiedAsTheyAre() throws {
        let only = ["native/into/scalar/*", "reference/memcpy/*"]
        let into = "native/into/scalar/n=200/p=30"
        let measurer = try LocalMeasuringProcess(
            setup: WorkerSetup(sizes: [200], kernels: [.scalar], minimumSampleMs: 0.05, only: only, verifiedIterations: [into: 3]))
        #expect(measurer.cases.map(\.id) == [into, "reference/memcpy/n=200"])
        #expect(measurer.cases.allSatisfy { $0.verified })
        #expect(measurer.cases.map(\.iterationsPerSample).first == 3)
        #expect(measurer.cases[1].iterationsPerSample > 3)
        #expect(try measurer.sample(0).ns > 0)
        #expect(measurer.usage().calls == [3, 0])
    }

    /// A worker that never sends its hello is told apart by how it ended: a program that exits (no
    /// sampling worker of this build, as an older jsa-bench answers an unknown subcommand) cannot
    /// take part; one killed by a signal crashed, and one that answers why it cannot measure (a
    /// size's buffers the system will not map) failed — both this build's, neither unfit.
    @Test func aWorkerThatSendsNoHelloIsUnfitOnlyWhereItExited() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fake-workers-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let refusal = #"{"protocol":"\#(WorkerProtocol.version)","error":"n = 5: cannot map 1 MiB for a buffer"}"#
        let scripts = [
            "exits": "echo 'unknown subcommand' >&2; exit 64",
            "crashes": "echo 'Fatal error: out of bounds' >&2; echo 'Backtrace took 0.3s' >&2; kill -SEGV $$",
            "refuses": "read line; echo '\(refusal)'; read line"
        ]
        var failures: [String: MeasuringFailure] = [:]
        for (name, body) in scripts {
            let path = folder + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n\(body)\n".utf8)))
            #expect(chmod(path, 0o755) == 0)
            do {
                _ = try WorkerMeasuringProcess(
                    executable: path, setup: WorkerSetup(sizes: [100], kernels: [.scalar]), shouldStop: { false })
                Issue.record("\(name): a worker without a hello was taken")
            } catch {
                failures[name] = error
            }
        }
        #expect(failures["exits"]?.kind == .unfit)
        #expect(failures["exits"]?.description.contains("cannot take part") == true)
        #expect(failures["crashes"]?.kind == .failed)
        #expect(failures["crashes"]?.description.contains("was killed by signal \(SIGSEGV)): Fatal error: out of bounds") == true)
        #expect(failures["refuses"]?.kind == .failed)
        #expect(failures["refuses"]?.description.hasSuffix("could not start measuring: n = 5: cannot map 1 MiB for a buffer") == true)
    }

    @Test func setupOnlyAndSkipChooseTheCases() throws {
        let setup = WorkerSetup(
            sizes: [100], kernels: [.scalar], minimumSampleMs: 0.05, only: ["native/*"],
            skip: ["native/into_aliased/*", "native/into_offset/*", "native/bare_c/*"])
        let measurer = try LocalMeasuringProcess(setup: setup)
        #expect(measurer.cases.map(\.id) == ["native/alloc/scalar/n=100/p=30", "native/into/scalar/n=100/p=30"])
    }

    @Test func requestsAndSetupsRoundTripThroughJSON() throws {
        for request in [WorkerRequest.round(4, cases: [0, 2, 5]), .sample(7), .usage] {
            let data = try JSONEncoder().encode(request)
            #expect(try JSONDecoder().decode(WorkerRequest.self, from: data) == request)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkerRequest.self, from: Data("{}".utf8)) }
        let setup = WorkerSetup(
            sizes: [1000, 4096], kernels: [.avx2, .auto], period: 12, seed: 9, minimumSampleMs: 0.5, cold: true,
            warmupSamples: 2, only: ["a/*"], skip: ["b"], cpu: 1, callgrindCalls: 5, verifiedIterations: ["a/x": 12])
        #expect(try JSONDecoder().decode(WorkerSetup.self, from: try JSONEncoder().encode(setup)) == setup)
        let configuration = setup.configuration
        #expect(configuration.sizes == [1000, 4096] && configuration.period == 12 && configuration.seed == 9 && configuration.cold)
    }

    /// What the sweep writes for its workers is what a worker builds: configuration → setup → JSON
    /// → setup → configuration keeps every field the cases depend on.
    @Test func aConfigurationSurvivesTheWorkersInvocation() throws {
        var sweep = SweepConfiguration(
            sizes: [64, 5000], kernels: [.scalar, .auto], period: 7, samples: 3, minimumSampleMs: 0.25, cold: true, seed: 5,
            maximumBatchOutputBytes: 1 << 20)
        sweep.fastLevelWait = FastLevelWait(budgetRatio: 2.5)
        sweep.pages = .huge
        let sent = WorkerSetup(sweep, sizes: [5000], only: ["native/*"], probeFloorNs: 1_462, counterEvents: ["PAPI_TOT_CYC"])
        let received = try JSONDecoder().decode(WorkerSetup.self, from: try JSONEncoder().encode(sent))
        let rebuilt = received.configuration
        #expect(received == sent)
        #expect(rebuilt.sizes == [5000] && rebuilt.kernels == [.scalar, .auto] && rebuilt.period == 7 && rebuilt.seed == 5)
        #expect(rebuilt.minimumSampleMs == 0.25 && rebuilt.cold && rebuilt.maximumBatchOutputBytes == 1 << 20)
        #expect(received.fastLevelWait == FastLevelWait(budgetRatio: 2.5) && received.probeFloorNs == 1_462)
        #expect(received.counterEvents == ["PAPI_TOT_CYC"])
        #expect(rebuilt.fastLevelWait == FastLevelWait(budgetRatio: 2.5))
        #expect(received.pages == .huge && rebuilt.pages == .huge)
        // A setup from a parent before `--pages` names none: 4 KiB pages.
        var older = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(sent)) as? [String: Any])
        older["pages"] = nil
        older["placements"] = nil
        let olderSetup = try JSONDecoder().decode(WorkerSetup.self, from: try JSONSerialization.data(withJSONObject: older))
        #expect(olderSetup.pages == nil && olderSetup.configuration.pages == .base)
        // Nor placements: one, the buffers' own pages.
        #expect(olderSetup.placements == nil && olderSetup.configuration.placements == 1)
        var placed = sweep
        placed.pages = .base
        placed.placements = 5
        let placedSetup = try JSONDecoder().decode(WorkerSetup.self, from: try JSONEncoder().encode(WorkerSetup(placed, sizes: [64])))
        #expect(placedSetup.placements == 5 && placedSetup.configuration.placements == 5)
        #expect(received.includes("native/into/scalar/n=5000/p=7") && !received.includes("reference/memcpy/n=5000"))
    }

    /// A worker's usage reply carries its counter readings, case by case, as it summed them.
    @Test func aUsageReplyCarriesTheCountersReadings() throws {
        var readings = CounterAccumulator(names: [CounterName.cycles])
        readings.add([RawCount(value: 1234)])
        let reply = WorkerReply(usage: [ResourceUsage(), ResourceUsage()], calls: [3, 0], counters: [readings, nil])
        let line = try JSONEncoder().encode(reply)
        #expect(String(decoding: line, as: UTF8.self).contains(#""counters":[{"#))
        let decoded = try JSONDecoder().decode(WorkerReply.self, from: line)
        #expect(decoded.counters == [readings, nil] && decoded.calls == [3, 0])
    }

    @Test func roundsAreSharedOutAsEvenlyAsPossible() {
        #expect(SizeSampling.roundsPerPass(20, passes: 4) == [5, 5, 5, 5])
        #expect(SizeSampling.roundsPerPass(10, passes: 4) == [3, 3, 2, 2])
        #expect(SizeSampling.roundsPerPass(3, passes: 1) == [3])
    }
}

@Suite struct ABRunnerTests {
    func cases(_ ids: [String], failing: Set<String> = []) -> [CaseResult] {
        ids.map { id in
            CaseResult(
                id: id, family: "native", variant: "into", kernel: nil, resolvedKernel: nil, n: 1, period: nil, periods: nil,
                threads: 1, bytesPerCall: 0, workingSetBytes: 0, level: "L1", iterationsPerSample: 1, samplesNs: [],
                samplesRequested: 0, stats: nil, perElementNs: nil, gbps: nil, verified: !failing.contains(id),
                verificationError: failing.contains(id) ? "index 0 differs" : nil, rusagePerCall: ResourceUsage())
        }
    }

    @Test func comparesTheVerifiedCasesBothOffer() {
        let base = cases(["a/1", "x/1", "b/1", "gone"])
        let head = cases(["b/1", "new", "a/1", "x/1"], failing: ["x/1"])
        let outcome = ABRunner.Outcome(base: base, head: head, baseBuild: "release", headBuild: "release")
        #expect(outcome.cases.map(\.id) == ["b/1", "a/1"])
        #expect(outcome.added == ["new"] && outcome.removed == ["gone"])
        #expect(outcome.failed == ["x/1: index 0 differs"])
        #expect(outcome.indices(base: base, head: head).map(\.base) == [2, 0])
        #expect(outcome.indices(base: base, head: head).map(\.head) == [0, 2])
    }

    /// A worker that offers no case and says how it times samples: `epochs` nil is a build from
    /// before epochs, whose hello names none.
    static func fakeWorker(epochs: Int?, in folder: URL) throws -> String {
        let hello =
            #"{"protocol":"\#(WorkerProtocol.version)","build_configuration":"release","cases":[]"#
            + (epochs.map { #","epochs_per_sample":\#($0)}"# } ?? "}")
        let path = folder.appendingPathComponent("worker-\(epochs ?? 0)").path
        try "#!/bin/sh\nread setup\necho '\(hello)'\ncat >/dev/null\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func buildsThatTimeSamplesDifferentlyAreUnfitUnlessAllowed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.fakeWorker(epochs: nil, in: folder)
        let now = try Self.fakeWorker(epochs: 8, in: folder)
        let setup = WorkerSetup(sizes: [100], kernels: [.scalar])
        let failure = #expect(throws: MeasuringFailure.self) {
            _ = try ABRunner.run(base: before, head: now, rounds: 2, samplesPerRound: 1, setup: setup)
        }
        #expect(failure?.kind == .unfit)
        #expect(failure?.description.contains("\(before) in whole samples") == true, "\(failure?.description ?? "")")
        #expect(failure?.description.contains("--epochs 1") == true)
        let allowed = try ABRunner.run(base: before, head: now, rounds: 2, samplesPerRound: 1, setup: setup, allowingOtherEpochs: true)
        #expect(allowed.baseEpochs == 1 && allowed.headEpochs == 8 && allowed.rounds == 2)
        let alike = try ABRunner.run(base: now, head: now, rounds: 1, samplesPerRound: 1, setup: setup)
        #expect(alike.baseEpochs == 8 && alike.headEpochs == 8)
    }

    /// What `compared` throws, on hearing how many cases the builds share, ends the run before any
    /// round is sampled.
    @Test func comparedCanEndTheRunBeforeAnyRound() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let worker = try Self.fakeWorker(epochs: 8, in: folder)
        var told: [Int] = []
        var rounds = 0
        let failure = #expect(throws: MeasuringFailure.self) {
            _ = try ABRunner.run(
                base: worker, head: worker, rounds: 3, samplesPerRound: 1, setup: WorkerSetup(sizes: [100], kernels: [.scalar]),
                compared: { (shared) throws(MeasuringFailure) in
                    told.append(shared)
                    throw MeasuringFailure(kind: .nothingToCompare, description: "none")
                }, progress: { _ in rounds += 1 })
        }
        #expect(failure?.kind == .nothingToCompare && told == [0] && rounds == 0)
    }

    /// Each side's workers say how they paged their buffers; a side whose workers did not (a build
    /// before `--pages`) or were short of the pages asked for is named, per size.
    @Test func eachSidesPagingIsCheckedAgainstTheRequest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let silent = try Self.fakeWorker(epochs: 8, in: folder)
        let paged = folder.appendingPathComponent("paged").path
        let hello =
            #"{"protocol":"\#(WorkerProtocol.version)","build_configuration":"release","cases":[],"epochs_per_sample":8,"#
            + #""page_backing":[{"n":100,"backing":{"bytes":8388608,"huge_bytes":8388608}}]}"#
        try "#!/bin/sh\nread setup\necho '\(hello)'\ncat >/dev/null\n".write(toFile: paged, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: paged)
        let setup = WorkerSetup(sizes: [100], kernels: [.scalar], pages: .huge)
        let outcome = try ABRunner.run(base: silent, head: paged, rounds: 2, samplesPerRound: 1, setup: setup)
        #expect(outcome.headPageBackings.count == 2 && outcome.basePageBackings == [nil, nil])
        let shortfalls = outcome.pageShortfalls(sizes: [100], pages: .huge, policy: "madvise")
        #expect(shortfalls.count == 1)
        #expect(shortfalls.first?.hasPrefix("base, n=100: huge pages asked for, but 2 of 2 measuring processes did not say") == true)
        #expect(
            outcome.pageShortfalls(sizes: [100], pages: .base, policy: "madvise") == [
                "head, n=100: "
                    + "4 KiB pages asked for, but 2 of 2 measuring processes had 100.0% of their buffers' bytes in huge pages "
                    + "(transparent huge pages: madvise)"
            ])
        // Neither side's workers said they moved through placements (builds before `--placements`).
        #expect(outcome.placementShortfalls(placements: 1).isEmpty)
        #expect(
            outcome.placementShortfalls(placements: 8)
                == ["base", "head"].map {
                    "\($0): 2 of 2 workers did not move through placements of their buffers (a build before --placements): "
                        + "each measured on one draw of pages, which near the L2's capacity reads otherwise than a mix of them; "
                        + "--placements 1 measures both sides so"
                })
        let placed = folder.appendingPathComponent("placed").path
        let placedHello = hello.replacingOccurrences(of: #""n":100,"#, with: #""n":100,"placements":8,"#)
        try "#!/bin/sh\nread setup\necho '\(placedHello)'\ncat >/dev/null\n".write(toFile: placed, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: placed)
        let placedOutcome = try ABRunner.run(base: silent, head: placed, rounds: 2, samplesPerRound: 1, setup: setup)
        #expect(placedOutcome.placementShortfalls(placements: 8).map { $0.prefix(5) } == ["base:"])
    }

    /// Each side's workers run from a copy at a path as long as the other's, without the shell's `_`.
    @Test func bothBuildsRunFromCopiesAtPathsOfEqualLengthWithoutTheShellsPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID())")
        let deeper = folder.appendingPathComponent("a-much-longer-folder-name-than-the-other-one")
        try FileManager.default.createDirectory(at: deeper, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hello = #"{"protocol":"\#(WorkerProtocol.version)","build_configuration":"release","cases":[],"epochs_per_sample":8}"#
        let script = "#!/bin/sh\nread setup\necho \"$0 $(env | grep -c '^_=')\" >> \"$JSA_TEST_RECORD\"\necho '\(hello)'\ncat >/dev/null\n"
        var workers: [String] = []
        for place in [folder, deeper] {
            let path = place.appendingPathComponent("w").path
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            workers.append(path)
        }
        setenv("_", "/a/path/the/shell/started/this/by", 1)
        let record = folder.appendingPathComponent("record").path
        _ = try ABRunner.run(
            base: workers[0], head: workers[1], rounds: 2, samplesPerRound: 1, setup: WorkerSetup(sizes: [100], kernels: [.scalar]),
            baseEnvironment: ["JSA_TEST_RECORD": record], headEnvironment: ["JSA_TEST_RECORD": record])
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        #expect(lines.count == 4)
        #expect(Set(lines.map { $0[0].count }).count == 1, "\(lines)")
        #expect(lines.allSatisfy { $0[0].hasSuffix("/jsa-bench") && !workers.contains(String($0[0])) })
        #expect(lines.allSatisfy { $0[1] == "0" }, "\(lines)")
    }

    /// Over any four rounds each build starts first twice and is stopped first twice, in all four
    /// combinations; the CPU moves on every round.
    @Test func startAndStopOrdersAreBalancedAndIndependent() {
        for first in 0..<8 {
            let four = (first..<first + 4).map { ABRunner.RoundArrangement(round: $0, cpus: 2) }
            #expect(four.filter(\.baseStartsFirst).count == 2 && four.filter(\.baseStopsFirst).count == 2)
            #expect(Set(four.map { [$0.baseStartsFirst, $0.baseStopsFirst] }).count == 4, "\(four)")
        }
        #expect((0..<6).map { ABRunner.RoundArrangement(round: $0, cpus: 3).cpu } == [0, 1, 2, 0, 1, 2])
        #expect(ABRunner.RoundArrangement(round: 5, cpus: 0).cpu == 0)
    }

    /// A case's round: each build's median, and its samples' spread from four samples a build up.
    @Test func aRoundSummaryKeepsTheSamplesSpreadFromFourSamples() {
        let summary = ABRunner.RoundSummary(base: [10, 12, 11, 13, 9], head: [20, 20, 21, 19, 20])
        #expect(summary.base == 11 && summary.head == 20)
        #expect(summary.baseSpread == 2.0 / 11 && summary.headSpread == 0)
        let few = ABRunner.RoundSummary(base: [10, 12, 11], head: [20, 20, 21, 19])
        #expect(few.base == 11 && few.baseSpread == nil && few.headSpread == nil)
    }

    /// The workers start and stop in the rounds' arrangement (each is gone before the next is stopped).
    @Test func workersStartAndStopInTheRoundsArrangement() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hello = #"{"protocol":"\#(WorkerProtocol.version)","build_configuration":"release","cases":[],"epochs_per_sample":8}"#
        let script =
            "#!/bin/sh\nside=$(basename \"$(dirname \"$0\")\")\nread setup\necho \"start $side\" >> \"$JSA_TEST_RECORD\"\n"
            + "echo '\(hello)'\ncat >/dev/null\necho \"stop $side\" >> \"$JSA_TEST_RECORD\"\n"
        let worker = folder.appendingPathComponent("w").path
        try script.write(toFile: worker, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: worker)
        let record = folder.appendingPathComponent("record").path
        _ = try ABRunner.run(
            base: worker, head: worker, rounds: 4, samplesPerRound: 1, setup: WorkerSetup(sizes: [100], kernels: [.scalar]),
            baseEnvironment: ["JSA_TEST_RECORD": record], headEnvironment: ["JSA_TEST_RECORD": record])
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        let expected = (0..<4).flatMap { round -> [String] in
            let arrangement = ABRunner.RoundArrangement(round: round, cpus: ProcessInfo.processInfo.activeProcessorCount)
            let started = arrangement.baseStartsFirst ? ["base", "head"] : ["head", "base"]
            let stopped = arrangement.baseStopsFirst ? ["base", "head"] : ["head", "base"]
            return started.map { "start " + $0 } + stopped.map { "stop " + $0 }
        }
        #expect(lines == expected)
        #expect(expected[2...3] == ["stop base", "stop head"] && expected[10...11] == ["stop head", "stop base"])
    }

    @Test func aProgramWithoutTheWorkerIsUnfit() {
        let failure = #expect(throws: MeasuringFailure.self) {
            _ = try ABRunner.run(
                base: "/bin/true", head: "/bin/true", rounds: 2, samplesPerRound: 1,
                setup: WorkerSetup(sizes: [100], kernels: [.scalar]))
        }
        #expect(failure?.kind == .unfit)
    }
}

import BenchModel
import Foundation
import JSA
import Measurement
import SystemIO

/// The deterministic counting pass of a sweep: the native cases run again under valgrind's
/// callgrind (a child process running `jsa-bench callgrind-worker`), and their instructions per
/// call — and, with the cache simulation, cache and branch events and the FP instruction mix —
/// are added to the results.
public enum CallgrindPass {
    /// The subcommand of jsa-bench that valgrind runs for the pass (`valgrind … EXECUTABLE NAME`).
    public static let workerCommandName = "callgrind-worker"

    /// Calls measured per case (every call of a case executes the same instructions; more than one
    /// shows that). Above `singleCallElements` one call is counted: the counts per call are the
    /// same, and under the cache simulation each call of the largest default size takes seconds.
    public static let callsPerCase = 3
    public static let singleCallElements = 1_000_000

    /// The calls counted for a case of `n` elements when `calls` are asked for.
    public static func calls(_ calls: Int, n: Int) -> Int { n > singleCallElements ? min(1, calls) : calls }

    /// What the worker reports about one case.
    public struct WorkerCase: Codable, Sendable {
        public var id: String
        public var n: Int
        public var resolvedKernel: String?
        /// Why the case could not be measured under valgrind (nil when it was).
        public var unavailableReason: String?
        /// The calls counted (`calls(_:n:)`).
        public var calls: Int = 0
    }

    /// What the pass counted: instructions per case, and with the cache simulation its counts and
    /// settings.
    public struct Counts: Sendable {
        public var instructions: [String: InstructionCount] = [:]
        public var simulated: [String: SimulatedCounts] = [:]
        public var simulation: CacheSimulationSetup?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: - Inside valgrind

    /// Runs the native cases of `configuration` (allocating, direct-write and bare C) and the
    /// allocator reference with collection on only around each call, one dump per case (labelled
    /// with the case id). Must run under valgrind.
    ///
    /// - Parameter evictionBytes: in cold mode, the bytes evicted before every counted call (nil:
    ///   `CacheEvictor.bytes(toEvict:)` of this machine, whose L3 valgrind simulates as the last
    ///   level unless told otherwise).
    /// - Throws: `Workload.MappingFailure` when the system will not map a size's buffers.
    public static func runWorker(
        configuration: SweepConfiguration, calls: Int = callsPerCase, evictionBytes: Int? = nil
    ) throws -> [WorkerCase] {
        var report: [WorkerCase] = []
        let caches = CacheTopology.read()
        let evictor = configuration.cold ? CacheEvictor(bytes: evictionBytes ?? CacheEvictor.bytes(toEvict: caches)) : nil
        let prepare = { evictor?.evict() ?? () }
        for n in configuration.sizes where n >= configuration.period {
            let workload = try Workload(n: n, seed: configuration.seed, batchRows: nil, offsetInput: false, pages: configuration.pages)
            let factory = SweepCaseFactory(configuration: configuration, caches: caches, workload: workload, threads: 1)
            let period = configuration.period
            let expected = ScalarReference { (try? jsa(workload.inputView, period: period, kernel: .scalar)) ?? [] }
            for variant in [NativeVariant.alloc, .into, .bareC] {
                for kernel in configuration.kernels {
                    let testCase = factory.native(variant, kernel: kernel, expected: expected)
                    let id = testCase.result.id
                    let resolved: Kernel
                    do {
                        resolved = try kernel.resolved()
                    } catch {
                        report.append(
                            WorkerCase(
                                id: id, n: n, resolvedKernel: nil,
                                unavailableReason:
                                    "not measurable under valgrind, which cannot execute AVX-512 and hides it from CPUID (\(error))"))
                        continue
                    }
                    if let problem = testCase.verify() {
                        report.append(
                            WorkerCase(
                                id: id, n: n, resolvedKernel: resolved.rawValue,
                                unavailableReason: "output differs from scalar under valgrind: \(problem)"))
                        continue
                    }
                    Callgrind.measure(label: id, calls: Self.calls(calls, n: n), prepare: prepare, testCase.body)
                    report.append(
                        WorkerCase(id: id, n: n, resolvedKernel: resolved.rawValue, unavailableReason: nil, calls: Self.calls(calls, n: n)))
                }
            }
            for allocation in [factory.mallocFree(), factory.swiftArray()] {
                Callgrind.measure(label: allocation.result.id, calls: Self.calls(calls, n: n), prepare: prepare, allocation.body)
                report.append(
                    WorkerCase(id: allocation.result.id, n: n, resolvedKernel: nil, unavailableReason: nil, calls: Self.calls(calls, n: n)))
            }
        }
        return report
    }

    /// The callgrind worker's loop: reads a `WorkerSetup` line, counts its native cases, and prints
    /// the report as one JSON line. Large blocks are placed by `HeapPlacement.fixLargeBlocks()` first,
    /// so that the allocating cases' outputs lie where they did whatever the process allocated before.
    public static func serveWorker() throws {
        ParentWatch.endWithParent()
        HeapPlacement.fixLargeBlocks()
        guard let line = readLine(), let setup = try? JSONDecoder().decode(WorkerSetup.self, from: Data(line.utf8)) else {
            throw Failure(description: "the first line must be a worker setup")
        }
        let report = try runWorker(
            configuration: setup.configuration, calls: setup.callgrindCalls, evictionBytes: setup.callgrindEvictionBytes)
        try StandardStreams.writeOutput(String(decoding: try JSONEncoder().encode(report), as: UTF8.self) + "\n")
    }

    // MARK: - The parent

    /// Runs `executable callgrind-worker` under valgrind for `configuration` and returns what it
    /// counted by case id: instructions, and with `configuration.cacheSimulation` the cache and
    /// branch simulation (in the geometry of `configuration.simulatedCaches`, the rest this CPU's).
    ///
    /// - Parameter shouldStop: polled while valgrind runs; when it turns true (Ctrl-C) valgrind is
    ///   terminated and the pass throws.
    /// - Throws: `Failure` when valgrind is missing, the worker fails (with valgrind's reason), or
    ///   the pass was stopped.
    public static func run(
        configuration: SweepConfiguration, executable: String, calls: Int = callsPerCase,
        shouldStop: () -> Bool = { false }
    ) throws -> Counts {
        guard let valgrind = Callgrind.valgrindPath() else {
            throw Failure(description: "valgrind is not installed (apt-get install valgrind)")
        }
        let simulate = configuration.cacheSimulation
        // Valgrind names objects by their real path: the mix is read for this one.
        let object = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        let fpWidths = simulate ? try InstructionMix.disassemble(object) : [:]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-callgrind-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var setup = WorkerSetup(configuration, sizes: configuration.sizes)
        setup.callgrindCalls = calls
        setup.fastLevelWait = nil  // counts do not depend on the host's speed
        if let ll = configuration.simulatedCaches[.ll] {
            setup.callgrindEvictionBytes = 2 * ll.sizeBytes
        }
        var arguments = [
            "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no", "--callgrind-out-file=\(folder.path)/callgrind.out"
        ]
        if simulate {
            arguments += ["--cache-sim=yes", "--branch-sim=yes", "--dump-instr=yes", "--dump-line=no"]
            arguments += configuration.simulatedCaches.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                "--\($0.key.rawValue)=\($0.value.valgrindValue)"
            }
        } else {
            arguments += ["--dump-line=no"]
        }
        let child = try ChildProcess(executable: valgrind, arguments: arguments + [executable, workerCommandName])
        try child.send(String(decoding: try JSONEncoder().encode(setup), as: UTF8.self))
        let stdout: Data
        do {
            stdout = try child.readToEnd(stoppingWhen: shouldStop)
        } catch {
            child.terminate()
            throw Failure(description: "stopped while valgrind was counting")
        }
        let termination = child.wait()
        let stderr = child.standardError
        guard termination == .exited(0), let cases = try? JSONDecoder().decode([WorkerCase].self, from: stdout) else {
            let hint =
                stderr.contains("debuginfo reader") || stderr.contains("dwarf")
                ? " (valgrind 3.19 cannot read DWARF 5: this binary's C code was not built with Package.swift's -gdwarf-4)" : ""
            let last = stderr.split(separator: "\n").last(where: { !$0.hasPrefix("==") || $0.contains("rror") }) ?? ""
            throw Failure(description: "callgrind worker \(child.ending ?? "failed")\(hint): \(last)")
        }
        let dumps = try Callgrind.readDumps(in: folder.path, instructionsOf: simulate ? object : nil)
        var counts = Counts()
        if simulate, let dump = dumps.values.first, let geometry = dump.geometry {
            counts.simulation = CacheSimulationSetup(
                tool: dump.creator ?? "callgrind", geometry: geometry,
                geometrySource: configuration.simulatedCaches.isEmpty
                    ? "host" : configuration.simulatedCaches.count == 3 ? "set" : "partly set",
                cold: configuration.cold, callsPerCase: calls, singleCallAboveElements: singleCallElements)
        }
        for c in cases {
            guard c.unavailableReason == nil, c.calls > 0, let dump = dumps[c.id], let ir = dump.totals["Ir"] else {
                let reason = c.unavailableReason ?? "callgrind wrote no dump for this case"
                counts.instructions[c.id] = InstructionCount(
                    calls: 0, perCall: nil, perElement: nil, resolvedKernel: c.resolvedKernel, unavailableReason: reason)
                if simulate { counts.simulated[c.id] = SimulatedCounts(unavailable: reason, resolvedKernel: c.resolvedKernel) }
                continue
            }
            let perCall = Double(ir) / Double(c.calls)
            counts.instructions[c.id] = InstructionCount(
                calls: c.calls, perCall: perCall, perElement: perCall / Double(c.n),
                resolvedKernel: c.resolvedKernel, unavailableReason: nil)
            if simulate, let geometry = dump.geometry {
                let mix = InstructionMix.mix(counts: dump.instructionCounts, widths: fpWidths, calls: c.calls)
                var simulated = SimulatedCounts(
                    totals: dump.totals.mapValues { Double($0) }, calls: c.calls, n: c.n, lineBytes: geometry.ll.lineBytes,
                    resolvedKernel: c.resolvedKernel, fpMix: mix)
                if let kernel = c.resolvedKernel, let shares = mix.shares {
                    simulated.vectorWidthMismatch = VectorIdentity.mismatch(kernel: kernel, mix: shares)
                }
                counts.simulated[c.id] = simulated
            }
        }
        return counts
    }
}

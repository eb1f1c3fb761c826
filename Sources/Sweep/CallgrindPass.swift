import BenchModel
import Foundation
import JSA
import Measurement
import SystemIO

/// The deterministic-instruction-count pass of a sweep: the native cases run again under
/// valgrind's callgrind (a child process running `jsa-bench callgrind-worker`), and their
/// instructions per call are added to the results.
public enum CallgrindPass {
    /// The subcommand of jsa-bench that valgrind runs for the pass (`valgrind … EXECUTABLE NAME`).
    public static let workerCommandName = "callgrind-worker"

    /// Calls measured per case (every call of a case executes the same instructions; more than one
    /// shows that, and averages out the first call's lazy binding).
    public static let callsPerCase = 3

    /// What the worker reports about one case.
    public struct WorkerCase: Codable, Sendable {
        public var id: String
        public var n: Int
        public var resolvedKernel: String?
        /// Why the case could not be measured under valgrind (nil when it was).
        public var unavailableReason: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: - Inside valgrind

    /// Runs the native cases of `configuration` (allocating, direct-write and bare C) and the
    /// allocator reference with collection on only around each call, one dump per case (labelled
    /// with the case id). Must run under valgrind.
    public static func runWorker(configuration: SweepConfiguration, calls: Int = callsPerCase) -> [WorkerCase] {
        var report: [WorkerCase] = []
        let caches = CacheTopology.read()
        for n in configuration.sizes where n >= configuration.period {
            let workload = Workload(n: n, seed: configuration.seed, batchRows: nil)
            let factory = SweepCaseFactory(configuration: configuration, caches: caches, workload: workload, threads: 1)
            let expected = (try? jsa(workload.inputView, period: configuration.period, kernel: .scalar)) ?? []
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
                    Callgrind.measure(label: id, calls: calls, testCase.body)
                    report.append(WorkerCase(id: id, n: n, resolvedKernel: resolved.rawValue, unavailableReason: nil))
                }
            }
            let allocation = factory.mallocFree()
            Callgrind.measure(label: allocation.result.id, calls: calls, allocation.body)
            report.append(WorkerCase(id: allocation.result.id, n: n, resolvedKernel: nil, unavailableReason: nil))
        }
        return report
    }

    /// The callgrind worker's loop: reads a `WorkerSetup` line, counts its native cases, and prints
    /// the report as one JSON line.
    public static func serveWorker() throws {
        ParentWatch.endWithParent()
        guard let line = readLine(), let setup = try? JSONDecoder().decode(WorkerSetup.self, from: Data(line.utf8)) else {
            throw Failure(description: "the first line must be a worker setup")
        }
        let report = runWorker(configuration: setup.configuration, calls: setup.callgrindCalls)
        try StandardStreams.writeOutput(String(decoding: try JSONEncoder().encode(report), as: UTF8.self) + "\n")
    }

    // MARK: - The parent

    /// Runs `executable callgrind-worker` under valgrind for `configuration` and returns the
    /// instruction counts by case id.
    ///
    /// - Parameter shouldStop: polled while valgrind runs; when it turns true (Ctrl-C) valgrind is
    ///   terminated and the pass throws.
    /// - Throws: `Failure` when valgrind is missing, the worker fails (with valgrind's reason), or
    ///   the pass was stopped.
    public static func run(
        configuration: SweepConfiguration, executable: String, calls: Int = callsPerCase,
        shouldStop: () -> Bool = { false }
    ) throws -> [String: InstructionCount] {
        guard let valgrind = Callgrind.valgrindPath() else {
            throw Failure(description: "valgrind is not installed (apt-get install valgrind)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-callgrind-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var setup = WorkerSetup(configuration, sizes: configuration.sizes)
        setup.callgrindCalls = calls
        let child = try ChildProcess(
            executable: valgrind,
            arguments: [
                "--tool=callgrind", "--collect-atstart=no", "--dump-line=no",
                "--callgrind-out-file=\(folder.path)/callgrind.out", executable, workerCommandName
            ])
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
            throw Failure(description: "callgrind worker \(termination.map(\.description) ?? "failed")\(hint): \(last)")
        }
        let totals = try Callgrind.readDumps(in: folder.path)
        var counts: [String: InstructionCount] = [:]
        for c in cases {
            if let reason = c.unavailableReason {
                counts[c.id] = InstructionCount(
                    calls: 0, perCall: nil, perElement: nil, resolvedKernel: c.resolvedKernel,
                    unavailableReason: reason)
            } else if let total = totals[c.id] {
                let perCall = Double(total) / Double(calls)
                counts[c.id] = InstructionCount(
                    calls: calls, perCall: perCall, perElement: perCall / Double(c.n),
                    resolvedKernel: c.resolvedKernel, unavailableReason: nil)
            } else {
                counts[c.id] = InstructionCount(
                    calls: 0, perCall: nil, perElement: nil, resolvedKernel: c.resolvedKernel,
                    unavailableReason: "callgrind wrote no dump for this case")
            }
        }
        return counts
    }
}

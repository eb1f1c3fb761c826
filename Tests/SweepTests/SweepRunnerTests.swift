import Foundation
import JSA
import Measurement
import Results
import Testing
@testable import Sweep

@Suite(.serialized) struct SweepRunnerTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID())")

    /// The issue's end-to-end check, through the library: sizes 1000 and 5000, 5 samples.
    @Test func smallSweepProducesVerifiedCasesWithEveryRequiredField() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("results.json").path
        let kernels = Kernel.allCases.filter { (try? CPUFeatures.current().supports($0)) ?? false }
        let configuration = SweepConfiguration(sizes: [1000, 5000], kernels: kernels, samples: 5, minimumSampleMs: 0.2)
        let document = try SweepRunner(configuration: configuration, commandLine: ["test"], outputPath: path).run()

        #expect(document.complete)
        // alloc, into, into_aliased, into_offset, bare_c per kernel; batch ×2; memcpy, the copy
        // loop, STREAM add, malloc/free, Swift array
        let perSize = 5 * kernels.count + 2 + 5
        #expect(document.cases.count == 2 * perSize)
        #expect(document.cases.allSatisfy { $0.verified && $0.samplesNs.count == 5 && $0.stats != nil })
        #expect(Set(document.cases.map(\.id)).count == document.cases.count)
        #expect(document.cases.contains { $0.id == "native/into/scalar/n=1000/p=30" })
        #expect(document.cases.contains { $0.id == "native/into_offset/scalar/n=5000/p=30" })
        #expect(document.cases.contains { $0.id == "reference/copy_loop/n=5000" })
        #expect(document.cases.contains { $0.id == "batch/all_cores/auto/n=5000/p=10-40:1" })

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        for key in ["schema", "complete", "run", "environment", "cases", "diagnostics"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let run = json["run"] as! [String: Any]
        for key in ["command_line", "started_at", "ended_at", "build_configuration"] {
            #expect(run[key] != nil, "missing run.\(key)")
        }
        for c in json["cases"] as! [[String: Any]] {
            for key in [
                "id", "family", "variant", "n", "threads", "samples_ns", "sample_rounds", "sample_processes", "probes_ns",
                "iterations_per_sample", "stats", "estimates", "per_element_ns", "level", "verified"
            ] {
                #expect(c[key] != nil, "case \(c["id"] ?? "?") misses \(key)")
            }
            let stats = c["stats"] as! [String: Any]
            for key in ["median_ns", "mad_ns", "min_ns", "ci95_low_ns", "ci95_high_ns", "cv", "outliers"] {
                #expect(stats[key] != nil, "stats misses \(key)")
            }
            if c["family"] as? String == "native" {
                #expect(c["kernel"] != nil && c["period"] != nil)
            }
        }
        let native = document.cases.filter { $0.family == "native" && $0.variant == "into" && $0.n == 1000 }
        #expect(native.allSatisfy { $0.derived.fractionOfMemcpy != nil && $0.derived.speedupOverScalar != nil })
    }

    @Test func stopKeepsWhatWasMeasuredAndSaysIncomplete() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("partial.json").path
        var sizesDone = 0
        let configuration = SweepConfiguration(sizes: [1000, 2000, 3000], kernels: [.scalar], samples: 3, minimumSampleMs: 0.1)
        let runner = SweepRunner(
            configuration: configuration, commandLine: ["test"], outputPath: path,
            shouldStop: { sizesDone >= 1 })
        let document = try runner.run(
            observer: SweepObserver(progress: { index, _, _, fraction in
                if fraction >= 1 { sizesDone = index + 1 }
            }))
        #expect(!document.complete)
        #expect(Set(document.cases.map(\.n)) == [1000])
        let onDisk = try ResultsFile.read(path)
        #expect(!onDisk.complete && onDisk.cases.count == document.cases.count)
        #expect(onDisk.diagnostics.contains { $0.code == "interrupted" })
    }

    /// A size for which no measuring process could run has no case; the run says so as an error
    /// and names it among `unmeasuredSizes` (the command exits 71 on it), while a skipped size is
    /// not. With one process as with two, the measuring happens in workers.
    @Test(arguments: [1, 2]) func aSizeNoMeasuringProcessRanForIsUnmeasured(processes: Int) throws {
        var configuration = SweepConfiguration(sizes: [10, 1000], kernels: [.scalar], samples: 2, minimumSampleMs: 0.1)
        configuration.python = .off
        configuration.processes = processes
        configuration.workerExecutable = "/no/such/jsa-bench"
        #expect(!configuration.measuresInThisProcess)
        let document = try SweepRunner(configuration: configuration, commandLine: ["test"], outputPath: nil).run()
        #expect(document.complete)
        #expect(document.cases.isEmpty)
        #expect(document.unmeasuredSizes == [1000])
        #expect(document.diagnostics.filter { $0.code == "process_failed" }.count == processes)
        #expect(document.diagnostics.contains { $0.code == "size_unmeasured" && $0.severity == .error && $0.message.hasPrefix("n=1000:") })
        #expect(!document.diagnostics.contains { $0.code == "size_unmeasured" && $0.message.hasPrefix("n=10:") })
    }

    @Test func sizesShorterThanThePeriodAreSkippedWithANote() throws {
        let configuration = SweepConfiguration(sizes: [10, 100], kernels: [.scalar], samples: 2, minimumSampleMs: 0.1)
        let document = try SweepRunner(configuration: configuration, commandLine: ["test"], outputPath: nil).run()
        #expect(Set(document.cases.map(\.n)) == [100])
        #expect(document.diagnostics.contains { $0.code == "size_skipped" })
        #expect(document.diagnostics.contains { $0.code == "batch_skipped" } == false)  // 40 ≤ 100
    }
}

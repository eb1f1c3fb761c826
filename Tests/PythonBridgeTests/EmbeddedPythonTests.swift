import BenchModel
import Foundation
import JSA
import Measurement
import SystemIO
import Testing
@testable import PythonBridge

/// The embedded interpreter is process-wide and bound to the thread that started it: these tests
/// run serialized, each on the main actor.
@Suite(.serialized) @MainActor struct EmbeddedPythonTests {
    func python() throws -> EmbeddedPython {
        try EmbeddedPython.start()
    }

    @Test func startsDebiansPythonWithNumPyAndTheExtension() throws {
        let python = try python()
        #expect(try python.evaluate("__import__('sys').executable") == "/usr/bin/python3")
        #expect(try python.evaluate("__import__('numpy').__version__").isEmpty == false)
        #expect(try python.evaluate("__import__('jsa_native').KERNELS") == "('auto', 'scalar', 'avx2', 'avx512')")
    }

    @Test func errorsComeBackAsText() throws {
        #expect(throws: EmbeddedPython.Unavailable.self) { try self.python().evaluate("1/0") }
        #expect(try python().run("raise ValueError('boom')") == "ValueError: boom")
    }

    /// The binding and the Swift API compute the same bits for the same input, for every kernel.
    @Test func bindingEqualsTheSwiftAPIBitForBit() throws {
        let python = try python()
        python.run(
            """
            import numpy as np, jsa_native
            _x = np.random.default_rng(5).uniform(-50, 50, 1037)
            _x[:7] = np.nan
            _x[100] = np.nan
            """)
        let hex = try python.evaluate("_x.tobytes().hex()")
        let data = stride(from: 0, to: hex.count, by: 16).map { offset -> Double in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            let bits = UInt64(hex[start..<hex.index(start, offsetBy: 16)], radix: 16)!
            return Double(bitPattern: bits.byteSwapped)
        }
        #expect(data.count == 1037)
        for kernel in Kernel.allCases where (try? CPUFeatures.current().supports(kernel)) == true {
            for period in [1, 30, 1030] {
                let fromPython = try python.evaluate("jsa_native.jsa(_x, \(period), kernel='\(kernel)').tobytes().hex()")
                let fromSwift = try jsa(data, period: period, kernel: kernel)
                    .map { String(format: "%016llx", $0.bitPattern.byteSwapped) }.joined()
                #expect(fromPython == fromSwift, "kernel \(kernel) period \(period)")
            }
        }
    }

    /// `auto` is the same kernel from Python as from Swift, chosen by the same rule of the table,
    /// and the avx2 and avx512 kernels run the same variants.
    @Test func autoIsTheSameKernelAsTheSwiftAPIs() throws {
        let python = try python()
        #expect(try python.evaluate("__import__('jsa_native')._probes.auto_kernel()[0]") == Kernel.auto.resolved().rawValue)
        let rule = try python.evaluate("__import__('jsa_native')._probes.auto_kernel()[1]")
        #expect(rule == AutoKernelTable.rule(for: .current)?.name ?? "None")
        #expect(try python.evaluate("__import__('jsa_native')._probes.avx512_variant()") == AVX512Variant.current.rawValue)
        #expect(try python.evaluate("__import__('jsa_native')._probes.avx2_variant()") == AVX2Variant.current.rawValue)
    }

    /// Each error the Swift API and the binding share carries the same message.
    @Test func errorMessagesEqualTheSwiftOnes() throws {
        let python = try python()
        python.run(
            """
            import numpy as np, jsa_native
            def _message(call):
                try:
                    call()
                except (TypeError, ValueError) as error:
                    return str(error)
                return 'no error'
            """)
        let cases: [(String, JSAError)] = [
            ("jsa_native.jsa(np.array([]), 1)", .emptyInput),
            ("jsa_native.jsa(np.full(4, np.nan), 1)", .allValuesNaN(length: 4)),
            ("jsa_native.jsa(np.arange(5.0), 0)", .invalidPeriod(period: 0, length: 5)),
            ("jsa_native.jsa(np.arange(5.0), 6)", .invalidPeriod(period: 6, length: 5)),
            ("jsa_native.jsa(np.array([np.nan, 1.0, 2.0]), 3)", .notEnoughValidData(needed: 3, valid: 2)),
            ("jsa_native.jsa(np.arange(5.0), 2, out=np.empty(3))", .outputLengthMismatch(expected: 5, got: 3)),
            ("jsa_native.jsa(np.arange(5.0), 2, kernel='sse9')", .invalidKernel(name: "sse9")),
            ("jsa_native.jsa_batch(np.arange(5.0), 3, 1, -1)", .invalidPeriodRange(start: 3, end: 1, step: -1)),
            ("jsa_native.jsa_batch(np.arange(5.0), 0, 2, 1)", .invalidPeriod(period: 0, length: 5))
        ]
        for (call, error) in cases {
            #expect(try python.evaluate("_message(lambda: \(call))") == error.description, "\(call)")
        }
        var x = [0.0, 1, 2, 3, 4]
        let overlap = x.withUnsafeMutableBufferPointer { buffer in
            (try? jsaInto(UnsafeBufferPointer(buffer), period: 2, output: buffer)).map { _ in "" } ?? "thrown"
        }
        #expect(overlap == "thrown")
        #expect(
            try python.evaluate("_message(lambda: jsa_native.jsa(_y := np.arange(5.0), 2, out=_y))")
                == JSAError.outputOverlapsInput.description)
    }

    /// The rungs are ordered as the work they do: the empty loop < a no-op call < parsing and
    /// acquiring the buffers < the real call, and allocating costs more than the empty loop.
    @Test func ladderRungsAreSane() throws {
        let python = try python()
        for n in [1000, 100_000] {
            let samples = try PythonLadder.measure(in: python, n: n, period: 30, samples: 5, minimumSampleNs: 200_000, seed: 1)
            #expect(samples.verified)
            #expect(samples.n == n && samples.executable == "/usr/bin/python3")
            func median(_ step: String) -> Double {
                let values = samples.steps[step]!.samplesNs.sorted()
                return values[values.count / 2]
            }
            #expect(Set(samples.steps.keys) == Set(PythonLadder.steps.map(\.name)))
            #expect(median("noop") < median("jsa_out"), "n=\(n)")
            #expect(median("empty_loop") < median("noop"), "n=\(n)")
            #expect(median("noop") < median("acquire_out"), "n=\(n)")
            #expect(median("empty_loop") < median("numpy_empty"), "n=\(n)")
        }
    }

    /// What the helper process returns for a request: one `python` case per rung asked for.
    @Test func ladderRequestsBecomeCases() throws {
        let request = PythonLadderRequest(n: 1000, period: 30, samples: 3, minimumSampleNs: 100_000, seed: 7, batch: false)
        let result = try PythonLadder.result(for: request, in: try python(), caches: CacheTopology.read())
        #expect(result.verified && result.executable == "/usr/bin/python3" && result.numpy.first?.isNumber == true)
        #expect(result.cases.map(\.id) == PythonLadder.steps.map(\.name).filter { $0 != "jsa_batch" }.map { "python/\($0)/n=1000/p=30" })
        #expect(result.cases.allSatisfy { $0.family == "python" && $0.samplesNs.count == 3 && $0.stats == nil })
        // The embedded jsa_native times the speed probe before every sample, as the native sampler does.
        #expect(result.cases.allSatisfy { $0.probesNs?.count == 3 && $0.probesNs!.allSatisfy { $0 > 0 } })
        #expect(result.cases.first { $0.variant == "jsa_out" }?.kernel == "auto")
        #expect(result.cases.first { $0.variant == "numpy_naive" }?.kernel == nil)
    }

    /// The extension built for an ordinary python3 computes what the embedded one does.
    @Test(.enabled(if: ExternalExtension.folder != nil, "skipped: no .build-pyext (run scripts/build-pyext)"))
    func externalAndEmbeddedExtensionsAgree() throws {
        let script =
            "import numpy as np, jsa_native; x = np.random.default_rng(9).uniform(-1, 1, 4099); "
            + "print(jsa_native.jsa(x, 17).tobytes().hex() + ' ' + jsa_native.jsa_batch(x, 5, 40, 7)['values'].tobytes().hex())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        process.environment = ["PYTHONPATH": ExternalExtension.folder!, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let external = String(decoding: PipeReader(pipe.fileHandleForReading).readToEnd(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        try python().run("import numpy as np, jsa_native; _e = np.random.default_rng(9).uniform(-1, 1, 4099)")
        let embedded = try python().evaluate(
            "jsa_native.jsa(_e, 17).tobytes().hex() + ' ' + jsa_native.jsa_batch(_e, 5, 40, 7)['values'].tobytes().hex()")
        #expect(process.terminationStatus == 0)
        #expect(external == embedded)
    }
}

enum ExternalExtension {
    /// The folder scripts/build-pyext built for /usr/bin/python3, if any.
    static let folder: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build-pyext")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.first { $0.hasPrefix("cpython-311") }.map { root.appendingPathComponent($0).path }
    }()
}

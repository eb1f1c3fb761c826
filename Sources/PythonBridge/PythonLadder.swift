import BenchModel
import Foundation

/// The FFI overhead ladder: what a Python caller pays for the same JSA call, one rung at a time,
/// timed inside the embedded interpreter.
public enum PythonLadder {
    /// One rung: a statement timed in a loop (names: x, p, o, n, jsa, jsa_copy, jsa_batch, noop,
    /// acquire, empty, add, nan).
    public struct Step: Sendable {
        public let rung: PythonRung
        public let statement: String
        /// Bytes the statement moves per call, for GB/s (0 when it moves none of the data).
        public let bytesPerElement: Int

        /// The rung's name in the JSON and in the Python module's results.
        public var name: String { rung.rawValue }
    }

    /// The rungs, cheapest first. Differences between rungs attribute the overhead.
    public static let steps: [Step] = [
        // The baseline: the kernel's direct-write call from C, in this process, on these arrays.
        Step(rung: .nativeOut, statement: "<native>", bytesPerElement: 16),
        Step(rung: .emptyLoop, statement: "pass", bytesPerElement: 0),
        Step(rung: .noop, statement: "noop(x, p, out=o)", bytesPerElement: 0),
        Step(rung: .acquireOut, statement: "acquire(x, p, out=o)", bytesPerElement: 0),
        Step(rung: .numpyEmpty, statement: "empty(n)", bytesPerElement: 0),
        Step(rung: .jsaOut, statement: "jsa(x, p, out=o)", bytesPerElement: 16),
        Step(rung: .jsa, statement: "jsa(x, p)", bytesPerElement: 16),
        Step(rung: .jsaCopy, statement: "jsa_copy(x, p)", bytesPerElement: 16),
        Step(
            rung: .numpyBaseline, statement: "add(x[p:], x[:-p], out=o[p:]); o[p:] *= 0.5; o[:p] = nan",
            bytesPerElement: 16),
        Step(rung: .numpyNaive, statement: "(x[p:] + x[:-p]) * 0.5", bytesPerElement: 16),
        Step(rung: .jsaBatch, statement: "jsa_batch(x, 10, 40, 1)", bytesPerElement: 16 * 31)
    ]

    /// What the interpreter measured at one size.
    public struct SizeSamples: Decodable, Sendable {
        public let python: String
        public let numpy: String
        public let executable: String
        public let clockResolutionNs: Double
        public let n: Int
        /// jsa_native.jsa(x, p) equalled the NumPy reference bit for bit before timing.
        public let verified: Bool
        public let steps: [String: StepSamples]

        enum CodingKeys: String, CodingKey {
            case python, numpy, executable, n, verified, steps
            case clockResolutionNs = "clock_resolution_ns"
        }
    }

    public struct StepSamples: Decodable, Sendable {
        public let loops: Int
        public let samplesNs: [Double]
        /// Each sample's executions' whole time per execution (`samplesNs` is the median epoch's).
        public let samplesWallNs: [Double]?
        /// The speed probe before each sample, ns; empty where the interpreter's jsa_native has no
        /// probe (an extension built outside jsa-bench).
        public let probesNs: [Double]?
        public let minorFaultsPerCall: Double

        enum CodingKeys: String, CodingKey {
            case loops
            case samplesNs = "samples_ns"
            case samplesWallNs = "samples_wall_ns"
            case probesNs = "probes_ns"
            case minorFaultsPerCall = "minor_faults_per_call"
        }
    }

    /// The ladder's Python source (Sources/PythonBridge/jsa_ladder.py, embedded at build time).
    static let source = String(decoding: PackageResources.jsa_ladder_py, as: UTF8.self)

    /// Times every rung at length `n` (round-robin, alternating order, like the native sampler).
    /// - Parameters:
    ///   - caseBudgetNs: a rung whose timed samples used this much gets no more (keeps one).
    ///   - warm: one untimed execution before every sample (false where no call leaves data warm).
    ///   - loops: loops per sample by rung name, from an earlier process (nil: calibrate).
    ///   - firstRound: the number of the first round within the size (its parity sets the order).
    ///   - epochs: the stretches a sample's executions are timed in (1: the whole sample).
    public static func measure(
        in python: EmbeddedPython, steps: [Step] = steps, n: Int, period: Int, samples: Int, minimumSampleNs: Double,
        seed: UInt64, caseBudgetNs: Double = .infinity, warm: Bool = true, loops: [String: Int]? = nil, firstRound: Int = 0,
        epochs: Int = 1
    ) throws(EmbeddedPython.Unavailable) -> SizeSamples {
        if let problem = python.load(module: "jsa_ladder", source: source) {
            throw EmbeddedPython.Unavailable(description: "the ladder script failed to load: \(problem)")
        }
        let stepsJSON = String(
            decoding: try! JSONSerialization.data(withJSONObject: steps.map { [$0.name, $0.statement] }),
            as: UTF8.self)
        let budget = caseBudgetNs.isFinite ? "\(caseBudgetNs)" : "float('inf')"
        let call =
            "jsa_ladder.ladder(\(pythonString(stepsJSON)), \(n), \(period), \(samples), \(minimumSampleNs), \(seed), "
            + "\(budget), \(warm ? "True" : "False"), \(loopsArgument(loops)), \(firstRound), \(epochs))"
        let json = try python.evaluate(call)
        do {
            return try JSONDecoder().decode(SizeSamples.self, from: Data(json.utf8))
        } catch {
            throw EmbeddedPython.Unavailable(description: "the ladder returned unreadable results: \(error)")
        }
    }

    /// The `loops_json` argument: a string literal of the JSON object, or None.
    static func loopsArgument(_ loops: [String: Int]?) -> String {
        guard let loops, let json = try? JSONEncoder().encode(loops) else { return "None" }
        return pythonString(String(decoding: json, as: UTF8.self))
    }

    /// `text` as a Python string literal.
    static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

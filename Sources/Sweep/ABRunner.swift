import Foundation
import Results

/// Same-job A/B runs for the gate: two builds of jsa-bench run the same sweep in alternating
/// order (A B, B A, A B, ...), so drift over the job hits both alike, and each round gives one
/// paired ratio per case.
public enum ABRunner {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `rounds` rounds of `sweepArguments` with `base` and `head`; returns the paired results.
    /// `progress` is told after each round.
    public static func run(base: String, head: String, rounds: Int, sweepArguments: [String],
                           progress: (Int) -> Void = { _ in }) throws -> [(base: ResultsDocument, head: ResultsDocument)] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-ab-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var pairs: [(base: ResultsDocument, head: ResultsDocument)] = []
        for round in 0..<rounds {
            let order = round % 2 == 0 ? [("A", base), ("B", head)] : [("B", head), ("A", base)]
            var documents: [String: ResultsDocument] = [:]
            for (label, executable) in order {
                let out = folder.appendingPathComponent("round\(round)-\(label).json").path
                try runSweep(executable, arguments: sweepArguments + ["--out", out])
                documents[label] = try ResultsFile.read(out)
            }
            pairs.append((documents["A"]!, documents["B"]!))
            progress(round + 1)
        }
        return pairs
    }

    static func runSweep(_ executable: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["sweep"] + arguments + ["--no-python", "--no-report", "--quiet"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(executable): \(error)")
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
            throw Failure(description: "\(executable) sweep exited \(process.terminationStatus): \(last)")
        }
    }
}

/// The noise floor of each case, measured by A/A runs (`gate --calibrate`): half the 95% interval
/// of the paired ratio when both builds are the same. A threshold below it cannot be judged.
public struct NoiseFloor: Codable, Sendable {
    public static let schemaVersion = "jsa-bench/noise/v1"
    public var schema = NoiseFloor.schemaVersion
    public var rounds: Int
    /// Case id → relative noise (0.03 = ±3%).
    public var cases: [String: Double]

    public init(rounds: Int, cases: [String: Double]) {
        self.rounds = rounds
        self.cases = cases
    }
}

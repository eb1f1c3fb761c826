import Foundation
import Testing

@testable import Statistics

/// The change-point detector on fixed series with known steps (Resources/change-point-series.json),
/// and — where Apache Otava is installed (scripts/test-pip puts it in .build-venv) — against
/// Otava's own E-Divisive (`otava.analysis.compute_change_points_orig`) on the same series.
@Suite struct OtavaAgreementTests {
    struct Fixture: Decodable {
        var name: String
        var steps: [Int]
        var values: [Double]
    }

    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources")
    static let fixtures: [Fixture] = {
        struct File: Decodable { var series: [Fixture] }
        let data = try! Data(contentsOf: resources.appendingPathComponent("change-point-series.json"))
        return try! JSONDecoder().decode(File.self, from: data).series
    }()

    static let options = EDivisive.Options(significance: 0.01, permutations: 199, minimumSegment: 5, seed: 1)

    /// A Python that imports Otava: `OTAVA_PYTHON`, else the test venv's, else none.
    static let python: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["OTAVA_PYTHON"], root.appendingPathComponent(".build-venv/bin/python").path
        ]
        return candidates.compactMap { $0 }.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            return (try? run(path, ["-c", "import otava.analysis"]))?.status == 0
        }
    }()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theDetectorFindsEveryKnownStepAndNoOther() {
        for fixture in Self.fixtures {
            #expect(EDivisive.detect(fixture.values, options: Self.options).map(\.index) == fixture.steps, "\(fixture.name)")
        }
    }

    @Test(.enabled(if: python != nil, "skipped: no Python with Apache Otava (scripts/test-pip installs it in .build-venv)"))
    func otavaFindsTheSameChangePoints() throws {
        let script = """
            import json, sys
            from otava.analysis import compute_change_points_orig
            series = json.load(open(sys.argv[1]))["series"]
            print(json.dumps([sorted(int(p.index) for p in compute_change_points_orig(s["values"], max_pvalue=0.01, seed=1)[0]) for s in series]))
            """
        let result = try Self.run(
            Self.python!, ["-c", script, Self.resources.appendingPathComponent("change-point-series.json").path])
        #expect(result.status == 0)
        let otava = try JSONDecoder().decode([[Int]].self, from: Data(result.output.utf8))
        for (fixture, theirs) in zip(Self.fixtures, otava) {
            #expect(EDivisive.detect(fixture.values, options: Self.options).map(\.index) == theirs, "\(fixture.name)")
        }
    }
}

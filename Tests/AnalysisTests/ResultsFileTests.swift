import BenchModel
import Foundation
import Measurement
import Results
import Statistics
import Testing
@testable import Analysis

@Suite struct ResultsFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID())")

    func write(_ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("r.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func roundTripsThroughJSON() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = syntheticDocument(cases: [syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)])
        let path = try write("")
        try ResultsFile.write(document, to: path)
        let read = try ResultsFile.read(path)
        #expect(read.schema == ResultsDocument.schemaVersion)
        #expect(read.cases.count == 1 && read.cases[0].samplesNs == document.cases[0].samplesNs)
        #expect(read.cases[0].stats == document.cases[0].stats)
        #expect(read.environment == document.environment && read.clock == document.clock)
        #expect(try ResultsFile.encode(read) == ResultsFile.encode(document))
    }

    @Test func epochsAndWallTimesRoundTripAndThePausesAreSummarized() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var timed = syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)
        timed.samplesWallNs = timed.samplesNs.enumerated().map { k, ns in ns / [1.0, 0.98, 0.90][k] }  // 0%, 2%, 10% lost
        let whole = syntheticCase(family: "reference", variant: "memcpy", kernel: nil, medianNs: 50)  // timed whole
        var document = syntheticDocument(cases: [timed, whole])
        document.run.epochsPerSample = 8
        Analysis.analyze(&document)
        let pauses = try #require(document.analysis?.pauses)
        #expect(pauses.samples == 3)
        #expect(abs(pauses.medianShare - 0.02) < 1e-12)
        #expect(abs(pauses.p90Share - 0.084) < 1e-12)  // between 2% and 10%, 0.8 of the way
        let path = try write("")
        try ResultsFile.write(document, to: path)
        let read = try ResultsFile.read(path)
        #expect(read.run.epochsPerSample == 8 && read.run.epochs == 8)
        #expect(read.cases[0].samplesWallNs == timed.samplesWallNs && read.cases[1].samplesWallNs == nil)
        #expect(read.analysis?.pauses == pauses)
        // A document from before epochs: whole samples, no pauses to summarize.
        var before = syntheticDocument(cases: [whole])
        Analysis.analyze(&before)
        #expect(before.run.epochs == 1 && before.analysis?.pauses == nil)
    }

    @Test func waitsForTheFastLevelRoundTripAndNoneIsAbsent() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var waited = syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)
        waited.waitedNs = 12_500_000
        var document = syntheticDocument(cases: [waited, syntheticCase(family: "reference", variant: "memcpy", kernel: nil, medianNs: 50)])
        document.run.fastLevelWaitBudget = 3
        let path = try write("")
        try ResultsFile.write(document, to: path)
        let read = try ResultsFile.read(path)
        #expect(read.run.fastLevelWaitBudget == 3 && read.cases[0].waitedNs == 12_500_000 && read.cases[1].waitedNs == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"fast_level_wait_budget\" : 3") && text.contains("\"waited_ns\" : 12500000"))
        // A run that did not wait writes neither field.
        let unwaited = syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)
        try ResultsFile.write(syntheticDocument(cases: [unwaited]), to: path)
        let plain = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!plain.contains("waited_ns") && !plain.contains("fast_level_wait_budget"))
    }

    @Test func badFilesNameTheFirstProblem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ResultsFile.ReadError.self) { try ResultsFile.read("/nonexistent/r.json") }
        let truncated = try write("{\"schema\": \"jsa-bench/res")
        #expect(messageOfReading(truncated).hasSuffix("not a JSON object (truncated or not a results file)"))
        let other = try write("{\"schema\": \"jsa-bench/results/v0\"}")
        #expect(
            messageOfReading(other).hasSuffix(
                "schema 'jsa-bench/results/v0', expected 'jsa-bench/results/v1' or 'jsa-bench/results/v2' or 'jsa-bench/results/v3' "
                    + "or 'jsa-bench/results/v4'"))
        let document = syntheticDocument(cases: [syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)])
        var object = try JSONSerialization.jsonObject(with: ResultsFile.encode(document)) as! [String: Any]
        var cases = object["cases"] as! [[String: Any]]
        cases[0].removeValue(forKey: "samples_ns")
        object["cases"] = cases
        let missing = try write(String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(messageOfReading(missing).hasSuffix("missing field 'cases[0].samples_ns'"))
    }

    func messageOfReading(_ path: String) -> String {
        do {
            _ = try ResultsFile.read(path)
            return "read without error"
        } catch {
            return error.description
        }
    }
}

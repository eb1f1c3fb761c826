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

    @Test func badFilesNameTheFirstProblem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ResultsFile.ReadError.self) { try ResultsFile.read("/nonexistent/r.json") }
        let truncated = try write("{\"schema\": \"jsa-bench/res")
        #expect(messageOfReading(truncated).hasSuffix("not a JSON object (truncated or not a results file)"))
        let other = try write("{\"schema\": \"jsa-bench/results/v0\"}")
        #expect(
            messageOfReading(other).hasSuffix(
                "schema 'jsa-bench/results/v0', expected 'jsa-bench/results/v1' or 'jsa-bench/results/v2' or 'jsa-bench/results/v3'"))
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

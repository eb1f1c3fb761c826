import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Measurement
import Results
import Statistics
import Testing
@testable import Reporting

@Suite struct MarkdownReportTests {
    /// Writes the fixture as a results JSON file and renders the report from that file, as
    /// `jsa-bench report` does.
    func render(_ document: ResultsDocument) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard (try? ResultsFile.write(document, to: path)) != nil, let read = try? ResultsFile.read(path) else {
            return "fixture did not round-trip through JSON"
        }
        return MarkdownReport.render(read, title: "Fixture report", source: "fixture.json", charts: Charts.all(read))
    }

    @Test func completeReportHasEverySectionAndTheFixturesNumbers() {
        let report = render(Fixture.complete())
        for heading in ["# Fixture report", "## Overview", "## Kernel variants", "### Hardware counters",
                        "## Allocating versus direct-write", "## Python binding", "## Trust", "## Conclusions", "## Reproduce"] {
            #expect(report.contains("\n\(heading)\n") || report.hasPrefix("\(heading)\n"), "missing \(heading)")
        }
        // Times: 1 decimal in ns; ratios: 2 decimals; percentages: 1 decimal.
        #expect(report.contains("| into avx2 | 100.0 ns | 0.100 | 160.0 | 1.25 | 1.11 | 4.00× |"))
        #expect(report.contains("**SIMD at L1 (n = 1000):** avx2 4.00×, avx512 3.20× scalar"))
        #expect(report.contains("| 1000 | avx2 | 150.0 ns | 100.0 ns | 50.0 ns | 50.0% | 0.0 |"))
        #expect(report.contains("| 1000 | 125.0 ns | 165.0 ns | 11.0 ns | 29.0 ns | 18.8% | 25.0 ns | 12.0 ns | 100.0 ns | 0.0 | 14.25× | 40.0% | 30.0% |"))
        #expect(report.contains("The overhead is under 5% of the call from n = **32768**."))
        #expect(report.contains("\"~500 µs unavoidable\" Python overhead is not reproduced"))
        #expect(report.contains("![JSA direct-write: time per element by input size](ns-per-element.svg)"))
        #expect(report.contains("![Where a Python jsa(x, p) call's time goes](python-ladder.svg)"))
        #expect(report.contains("| into avx2 (n=1000) | 0.260 | 0.520 | 2.00 | 2.60 |"))
        #expect(report.contains("| into scalar (n=1000) | 8117 | 8.117 | ran scalar |"))
        #expect(report.contains("jsa-bench sweep --preset default"))
        #expect(report.contains("git aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
        #expect(report.contains("At DRAM (n = 8388608) the fastest SIMD kernel, avx2, is 0.98× scalar and takes 0.93× memcpy's time: "
            + "it runs at the copy roofline"))
        #expect(report.contains("cost up to 20.0%"))
        #expect(report.contains("**MISSED** — n=1000 into/avx512 ≥ 3.5× scalar: 3.20×"))
    }

    @Test func withoutCountersSaysSoInOneLine() {
        let report = render(Fixture.withoutCounters())
        #expect(report.contains("No hardware counters were requested for this run"))
        #expect(!report.contains("Instructions per call under callgrind"))
    }

    @Test func withoutPythonSaysSoAndDrawsNoPythonCharts() {
        let document = Fixture.withoutPython()
        let report = render(document)
        #expect(report.contains("The Python ladder was not run (`--no-python`)."))
        #expect(report.contains("neither confirmed nor refuted"))
        #expect(Charts.all(document).map(\.file) == ["ns-per-element.svg", "fraction-of-memcpy.svg"])
    }

    @Test func failedVerificationIsReportedNotHidden() {
        let report = render(Fixture.failedVerification())
        #expect(report.contains("**Verification: 1 case(s) FAILED** (native/into/avx512/n=32768/p=30)"))
        #expect(report.contains("Unverified (output differed from scalar; not timed): `native/into/avx512/n=32768/p=30`."))
    }
}

@Suite struct ConclusionTests {
    /// The fixture's aliased outputs take 1.2× the time in every sample: beyond the noise.
    @Test func aliasingBeyondTheNoiseIsCountedAndNamed() throws {
        let line = try #require(Conclusions.aliasing(Fixture.complete()))
        #expect(line.hasPrefix("An output at the input's page offset (4K aliasing) cost up to 20.0% ("), "\(line)")
        #expect(line.contains("beyond the noise in 12 of 12 cases"), "\(line)")
    }

    /// A 5% difference of medians that the samples do not carry (they overlap `into`'s, so the
    /// bootstrap interval of the ratio covers 1) is not called a penalty.
    @Test func aliasingWithinTheNoiseIsSaidToBe() throws {
        var document = Fixture.complete()
        for i in document.cases.indices where document.cases[i].variant == "into_aliased" {
            let c = document.cases[i]
            let into = document.cases.first { $0.variant == "into" && $0.kernel == c.kernel && $0.n == c.n }!
            let median = Statistics.median(into.samplesNs)
            document.cases[i].samplesNs = [0.99, 1.0, 1.05, 1.06, 1.07].map { $0 * median }
            document.cases[i].derived.aliasingPenaltyPercent = 5
        }
        let line = try #require(Conclusions.aliasing(document))
        #expect(line.hasPrefix("An output at the input's page offset (4K aliasing) cost nothing beyond the noise in this run"), "\(line)")
    }
}

@Suite struct ChartTests {
    @Test func everyChartIsValidXMLWithItsSeries() throws {
        let charts = Charts.all(Fixture.complete())
        #expect(charts.map(\.file) == ["ns-per-element.svg", "fraction-of-memcpy.svg", "python-ladder.svg", "python-speedup.svg"])
        let expected: [String: [String]] = [
            "ns-per-element.svg": ["into scalar", "into avx2", "into avx512", "into auto", "memcpy", "stream_add"],
            "fraction-of-memcpy.svg": ["into scalar", "into avx2", "into avx512", "into auto"],
            "python-ladder.svg": ["native kernel", "empty loop", "call + parsing", "buffers", "rest of jsa(out=o)", "output allocation"],
            "python-speedup.svg": ["jsa(out=o) vs np.add baseline", "jsa() vs naive NumPy"],
        ]
        for chart in charts {
            let document = try XMLDocument(data: Data(chart.svg.utf8))
            let root = try #require(document.rootElement())
            #expect(root.name == "svg")
            let names = SeriesNames.of(chart.svg)
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            #expect(unique == expected[chart.file], "\(chart.file)")
            #expect(try document.nodes(forXPath: "//*[local-name()='title']").first?.stringValue == chart.title)
        }
    }

    @Test func logTicksAndNiceSteps() {
        #expect(SVGChart.ticks((1000, 1e7), scale: .log10) == [1000, 1e4, 1e5, 1e6, 1e7])
        #expect(SVGChart.niceStep(0.23) == 0.5)
        #expect(SVGChart.niceStep(7) == 10)
        #expect(SVGChart.tickLabel(1e6, scale: .log10) == "1M")
        #expect(SVGChart.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }
}

@Suite struct ExportTests {
    @Test func gbenchHasTheFieldsCompareDotPyReads() throws {
        let document = Fixture.complete()
        let json = try JSONSerialization.jsonObject(with: Data(try Exports.render(document, as: .gbench).utf8)) as! [String: Any]
        let benchmarks = json["benchmarks"] as! [[String: Any]]
        for entry in benchmarks {
            #expect(entry["name"] is String && entry["real_time"] is Double && entry["cpu_time"] is Double)
            #expect(entry["time_unit"] as? String == "ns")
            #expect(["iteration", "aggregate"].contains(entry["run_type"] as? String))
            #expect(entry["repetitions"] as? Int == 5)
        }
        let timed = document.cases.filter { $0.stats != nil }.count
        #expect(benchmarks.filter { $0["run_type"] as? String == "iteration" }.count == 5 * timed)
        let median = benchmarks.first { $0["name"] as? String == "native/into/avx2/n=1000/p=30_median" }
        #expect(median?["real_time"] as? Double == 100)
        #expect((json["context"] as! [String: Any])["jsa_bench_cpu_time_is_wall_time"] as? Bool == true)
    }

    @Test func bencherMetricFormatCarriesLatencyWithItsInterval() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try Exports.render(Fixture.complete(), as: .bmf).utf8)) as! [String: [String: [String: Double]]]
        let avx2 = try #require(json["native/into/avx2/n=1000/p=30"])
        #expect(avx2["latency"]?["value"] == 100)
        #expect(avx2["latency"]!["lower_value"]! <= 100 && avx2["latency"]!["upper_value"]! >= 100)
        #expect(avx2["throughput"]?["value"] == 160)
        #expect(json["native/into/scalar/n=1000/p=30"]?["instructions"]?["value"] == 8117)
    }

    @Test func csvHasOneRowPerCase() throws {
        let document = Fixture.complete()
        let lines = try Exports.render(document, as: .csv).split(separator: "\n")
        #expect(lines.count == document.cases.count + 1)
        #expect(lines[0].hasPrefix("id,family,variant,kernel,resolved_kernel,n,"))
        let columns = lines[0].split(separator: ",").count
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
        #expect(lines.contains { $0.hasPrefix("native/into/avx2/n=1000/p=30,native,into,avx2,avx2,1000,30,1,L1,true,5,100,100.0,") })
    }
}

@Suite struct ReportWriterTests {
    @Test func writesTheChartsAndTheReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try ReportWriter.write(Fixture.complete(), to: folder, source: "fixture.json")
        #expect(path == folder + "/REPORT.md")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder))
            == ["REPORT.md", "ns-per-element.svg", "fraction-of-memcpy.svg", "python-ladder.svg", "python-speedup.svg"])
    }
}

@Suite struct GoalTests {
    @Test func verdictsCiteTheirFigures() {
        let goals = Goals.evaluate(Fixture.complete())
        let byName = Dictionary(uniqueKeysWithValues: goals.map { ($0.name, $0) })
        #expect(byName["n=1000 into/avx2 ≥ 2.5× scalar"]?.verdict == .met)
        #expect(byName["n=1000 into/avx2 ≥ 2.5× scalar"]?.measured.hasPrefix("4.00×") == true)
        #expect(byName["n=1000 into/avx512 ≥ 3.5× scalar"]?.verdict == .missed)
        #expect(byName["into/auto at L2 sizes ≤ 1.0× memcpy and ≤ 0.95× STREAM add"]?.verdict == .missed)
        #expect(byName["python n=1000 ≥ 10.0× the NumPy baseline"]?.verdict == .met)
        #expect(byName["python jsa(x, p, out=o) ≤ 35 ns over native"]?.measured == "29.0 ns at n=1000 (40.0 ns with the Python loop's own iteration)")
        #expect(byName["python n=1000000 ≥ 1.7× the NumPy baseline"]?.verdict == .notMeasured)
        let withoutPython = Goals.evaluate(Fixture.withoutPython())
        #expect(!withoutPython.contains { $0.name.hasPrefix("python") })
    }
}

/// The `data-name` attributes of an SVG's elements, in document order (a SAX pass: it also proves
/// the document is well-formed XML).
final class SeriesNames: NSObject, XMLParserDelegate {
    var names: [String] = []

    static func of(_ svg: String) -> [String] {
        let collector = SeriesNames()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        return parser.parse() ? collector.names : ["<not well-formed>"]
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if let name = attributes["data-name"] { names.append(name) }
    }
}

import BenchModel

/// The report's charts, each derived from a results document alone.
public enum Charts {
    /// A chart file: its name in the report folder, its title, and its SVG text.
    public struct Chart: Sendable {
        public let file: String
        public let title: String
        public let svg: String
    }

    /// Every chart the document has data for.
    public static func all(_ document: ResultsDocument) -> [Chart] {
        [nsPerElement(document), fractionOfMemcpy(document), simulatedMisses(document), pythonLadder(document), pythonSpeedup(document)]
            .compactMap { $0 }
    }

    static func cacheMarkers(_ caches: CacheTopology) -> [SVGChart.Marker] {
        [("L1d", caches.l1dBytes), ("L2", caches.l2Bytes), ("L3", caches.l3Bytes)].compactMap { name, bytes in
            bytes.map { SVGChart.Marker(x: Double($0) / 16, label: "\(name) full") }
        }
    }

    static func intoCases(_ document: ResultsDocument) -> [KernelName: [CaseResult]] {
        Dictionary(
            grouping: document.cases.filter { $0.kind?.nativeVariant == .into && $0.estimates?.blocked != nil },
            by: { $0.kind!.kernel! })
    }

    /// ns per element of a case's time (`ReportTables.timeNs`: the fast-level estimate, else the blocked one).
    static func perElement(_ c: CaseResult) -> (Double, Double)? {
        guard c.estimates?.blocked != nil, let time = ReportTables.timeNs(c) else { return nil }
        return (Double(c.n), time / Double(max(c.n, 1)))
    }

    /// ns per element against n, per direct-write kernel and reference, with the cache boundaries.
    static func nsPerElement(_ document: ResultsDocument) -> Chart? {
        let into = intoCases(document)
        guard !into.isEmpty else { return nil }
        var series = KernelName.allCases.sorted().compactMap { kernel in
            into[kernel].map { cases in SVGChart.Series(name: "into \(kernel.rawValue)", points: cases.compactMap(perElement)) }
        }
        for reference in [ReferenceKind.memcpy, .streamAdd] {
            let cases = document.cases.filter { $0.kind == .reference(reference) }
            if !cases.isEmpty {
                series.append(SVGChart.Series(name: reference.rawValue, points: cases.compactMap(perElement)))
            }
        }
        let title = "JSA direct-write: time per element by input size"
        let chart = SVGChart(
            title: title, xLabel: "n (elements, log scale; working set 16 B/element)", yLabel: "ns per element (log scale)",
            xScale: .log10, yScale: .log10, series: series, verticalMarkers: cacheMarkers(document.environment.caches))
        return Chart(file: "ns-per-element.svg", title: title, svg: chart.render())
    }

    /// Each direct-write kernel's time as a fraction of memcpy's over the same n.
    static func fractionOfMemcpy(_ document: ResultsDocument) -> Chart? {
        let into = intoCases(document)
        let series = KernelName.allCases.sorted().compactMap { kernel -> SVGChart.Series? in
            guard let cases = into[kernel] else { return nil }
            let points = cases.compactMap { c in
                document.analysis?.ratio(.fractionOfMemcpy, of: c.id).map { (Double(c.n), $0.headline.value) }
            }
            return points.isEmpty ? nil : SVGChart.Series(name: "into \(kernel.rawValue)", points: points)
        }
        guard !series.isEmpty else { return nil }
        let title = "JSA direct-write as a fraction of memcpy (same n, within rounds)"
        let chart = SVGChart(
            title: title, xLabel: "n (elements, log scale)", yLabel: "time / memcpy time (lower is faster)",
            xScale: .log10, yScale: .linear, series: series, verticalMarkers: cacheMarkers(document.environment.caches),
            horizontalReference: (1, "memcpy"))
        return Chart(file: "fraction-of-memcpy.svg", title: title, svg: chart.render())
    }

    /// Simulated D1 and LL misses per element against n for each direct-write kernel, with the
    /// simulated cache sizes where the working set (16 B per element) fills them.
    static func simulatedMisses(_ document: ResultsDocument) -> Chart? {
        guard let simulation = document.cacheSimulation else { return nil }
        let into = document.cases.filter { $0.kind?.nativeVariant == .into && $0.simulated?.unavailableReason == nil }
        var series: [SVGChart.Series] = []
        for kernel in KernelName.allCases.sorted() {
            let cases = into.filter { $0.kind?.kernel == kernel }.sorted { $0.n < $1.n }
            for (level, value) in [("D1", \SimulatedCounts.d1MissesPerElement), ("LL", \SimulatedCounts.llMissesPerElement)] {
                let points = cases.compactMap { c in c.simulated?[keyPath: value].map { (Double(c.n), $0) } }
                if !points.isEmpty { series.append(SVGChart.Series(name: "into \(kernel.rawValue) \(level)", points: points)) }
            }
        }
        guard !series.isEmpty else { return nil }
        let g = simulation.geometry
        let title = "Simulated cache misses per element (callgrind, \(simulation.cold ? "cold" : "warm"))"
        let chart = SVGChart(
            title: title, xLabel: "n (elements, log scale; working set 16 B/element)", yLabel: "misses per element (simulated)",
            xScale: .log10, yScale: .linear, series: series,
            verticalMarkers: [
                SVGChart.Marker(x: Double(g.d1.sizeBytes) / 16, label: "D1 \(Format.bytes(g.d1.sizeBytes)) full"),
                SVGChart.Marker(x: Double(g.ll.sizeBytes) / 16, label: "LL \(Format.bytes(g.ll.sizeBytes)) full")
            ])
        return Chart(file: "simulated-misses.svg", title: title, svg: chart.render())
    }

    /// Where a `jsa(x, p)` call's time goes, per n, as shares of the whole call.
    static func pythonLadder(_ document: ResultsDocument) -> Chart? {
        guard let sizes = document.python?.sizes, !sizes.isEmpty else { return nil }
        let rest = sizes.map { s in max(0, s.callOverheadOutNs - s.callAndParsingNs - s.bufferAcquisitionNs) }
        let segments: [(name: String, values: [Double])] = [
            ("native kernel", sizes.map(\.nativeIntoNs)),
            ("empty loop", sizes.map(\.emptyLoopNs)),
            ("call + parsing", sizes.map(\.callAndParsingNs)),
            ("buffers", sizes.map(\.bufferAcquisitionNs)),
            ("rest of jsa(out=o)", rest),
            ("output allocation", sizes.map { max(0, $0.overheadAllocNs - $0.overheadOutNs) })
        ]
        let title = "Where a Python jsa(x, p) call's time goes"
        let chart = SVGStackedBars(
            title: title, yLabel: "share of the jsa(x, p) call", categories: sizes.map { "\($0.n)" }, segments: segments,
            barLabels: sizes.map { Format.duration($0.nativeIntoNs + $0.overheadAllocNs) })
        return Chart(file: "python-ladder.svg", title: title, svg: chart.render())
    }

    /// jsa_native's speed-up over the NumPy baseline and the naive NumPy expression.
    static func pythonSpeedup(_ document: ResultsDocument) -> Chart? {
        guard let sizes = document.python?.sizes, !sizes.isEmpty else { return nil }
        let title = "jsa_native speed-up over NumPy"
        let chart = SVGChart(
            title: title, xLabel: "n (elements, log scale)", yLabel: "speed-up (×, higher is faster)", xScale: .log10,
            yScale: .linear,
            series: [
                SVGChart.Series(name: "jsa(out=o) vs np.add baseline", points: sizes.map { (Double($0.n), $0.speedupOverNumpy) }),
                SVGChart.Series(name: "jsa() vs naive NumPy", points: sizes.map { (Double($0.n), $0.speedupOverNaiveNumpy) })
            ],
            horizontalReference: (1, "NumPy"))
        return Chart(file: "python-speedup.svg", title: title, svg: chart.render())
    }
}

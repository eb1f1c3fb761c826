import Foundation

/// A small, dependency-free SVG plotter for the report's charts: lines over a log or linear x
/// axis, or 100%-stacked bars; axes with ticks and units, a title and a legend. Series differ in
/// colour *and* in dash pattern and marker shape, so they survive greyscale printing.
struct SVGChart {
    enum Scale {
        case linear
        case log10
    }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    /// A vertical reference line (e.g. a cache-level boundary) with a label.
    struct Marker {
        var x: Double
        var label: String
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var xScale: Scale = .log10
    var yScale: Scale = .linear
    var series: [Series] = []
    var verticalMarkers: [Marker] = []
    /// A horizontal reference line (e.g. 1.0 × memcpy), with a label.
    var horizontalReference: (y: Double, label: String)?

    static let width = 760.0
    static let height = 440.0
    static let plot = (left: 80.0, right: 200.0, top: 48.0, bottom: 64.0)

    /// Okabe–Ito colours (distinguishable with colour-vision deficiencies), each with its own dash
    /// pattern and marker so that greyscale copies stay readable.
    static let styles: [(color: String, dash: String, marker: String)] = [
        ("#000000", "", "circle"), ("#E69F00", "8,4", "square"), ("#0072B2", "2,3", "triangle"),
        ("#009E73", "10,3,2,3", "diamond"), ("#D55E00", "4,4", "cross"), ("#56B4E9", "1,2", "circle-open"),
        ("#CC79A7", "12,2", "square-open"), ("#F0E442", "6,2,1,2", "triangle-open")
    ]

    /// The chart as a standalone SVG document.
    func render() -> String {
        let xs = series.flatMap { $0.points.map(\.x) } + verticalMarkers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) } + (horizontalReference.map { [$0.y] } ?? [])
        let xRange = Self.range(xs, scale: xScale)
        let yRange = Self.range(ys, scale: yScale, includeZero: yScale == .linear)
        let p = Self.plot
        let plotWidth = Self.width - p.left - p.right
        let plotHeight = Self.height - p.top - p.bottom
        func px(_ x: Double) -> Double { p.left + plotWidth * Self.position(x, in: xRange, scale: xScale) }
        func py(_ y: Double) -> Double { p.top + plotHeight * (1 - Self.position(y, in: yRange, scale: yScale)) }

        var svg = Self.header(title: title)
        svg +=
            "<rect x=\"\(f(p.left))\" y=\"\(f(p.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        for tick in Self.ticks(xRange, scale: xScale) {
            let x = px(tick)
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(p.top + plotHeight))\" x2=\"\(f(x))\" y2=\"\(f(p.top + plotHeight + 5))\" stroke=\"#444\"/>\n"
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(p.top))\" x2=\"\(f(x))\" y2=\"\(f(p.top + plotHeight))\" stroke=\"#ddd\" stroke-width=\"0.5\"/>\n"
            svg += text(x, p.top + plotHeight + 20, Self.tickLabel(tick, scale: xScale), anchor: "middle")
        }
        for tick in Self.ticks(yRange, scale: yScale) {
            let y = py(tick)
            svg += "<line x1=\"\(f(p.left - 5))\" y1=\"\(f(y))\" x2=\"\(f(p.left))\" y2=\"\(f(y))\" stroke=\"#444\"/>\n"
            svg +=
                "<line x1=\"\(f(p.left))\" y1=\"\(f(y))\" x2=\"\(f(p.left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#ddd\" stroke-width=\"0.5\"/>\n"
            svg += text(p.left - 8, y + 4, Self.tickLabel(tick, scale: yScale), anchor: "end")
        }
        svg += text(p.left + plotWidth / 2, Self.height - 18, xLabel, anchor: "middle")
        svg +=
            "<text x=\"18\" y=\"\(f(p.top + plotHeight / 2))\" font-size=\"13\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 18 \(f(p.top + plotHeight / 2)))\">\(Self.escape(yLabel))</text>\n"
        for marker in verticalMarkers {
            let x = px(marker.x)
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(p.top))\" x2=\"\(f(x))\" y2=\"\(f(p.top + plotHeight))\" stroke=\"#777\" stroke-dasharray=\"3,3\"/>\n"
            svg += text(x + 3, p.top + 12, marker.label, anchor: "start", size: 11)
        }
        if let reference = horizontalReference {
            let y = py(reference.y)
            svg +=
                "<line x1=\"\(f(p.left))\" y1=\"\(f(y))\" x2=\"\(f(p.left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#777\" stroke-dasharray=\"6,3\"/>\n"
            svg += text(p.left + plotWidth - 4, y - 4, reference.label, anchor: "end", size: 11)
        }
        for (index, s) in series.enumerated() {
            let style = Self.styles[index % Self.styles.count]
            let points = s.points.sorted { $0.x < $1.x }
            let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<g class=\"series\" data-name=\"\(Self.escape(s.name))\">\n"
            svg +=
                "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(style.color)\" stroke-width=\"2\""
                + (style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\"") + "/>\n"
            for point in points {
                svg += Self.marker(style.marker, x: px(point.x), y: py(point.y), color: style.color)
            }
            svg += "</g>\n"
            svg += legendEntry(index: index, name: s.name, style: style)
        }
        return svg + "</svg>\n"
    }

    private func legendEntry(index: Int, name: String, style: (color: String, dash: String, marker: String)) -> String {
        let x = Self.width - Self.plot.right + 16
        let y = Self.plot.top + 10 + Double(index) * 20
        return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"\(style.color)\" stroke-width=\"2\""
            + (style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\"") + "/>\n"
            + Self.marker(style.marker, x: x + 14, y: y, color: style.color)
            + text(x + 34, y + 4, name, anchor: "start", size: 12)
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String, size: Int = 12) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\">\(Self.escape(content))</text>\n"
    }

    static func header(title: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<title>\(escape(title))</title>\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + "<text x=\"\(Int(width / 2))\" y=\"26\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(title))</text>\n"
    }

    static func marker(_ shape: String, x: Double, y: Double, color: String) -> String {
        let open = shape.hasSuffix("-open")
        let fill = open ? "white" : color
        switch shape.replacingOccurrences(of: "-open", with: "") {
        case "square":
            return "<rect x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"\(fill)\" stroke=\"\(color)\"/>\n"
        case "triangle":
            return
                "<polygon points=\"\(f(x)),\(f(y - 5)) \(f(x - 5)),\(f(y + 4)) \(f(x + 5)),\(f(y + 4))\" fill=\"\(fill)\" stroke=\"\(color)\"/>\n"
        case "diamond":
            return
                "<polygon points=\"\(f(x)),\(f(y - 5)) \(f(x - 5)),\(f(y)) \(f(x)),\(f(y + 5)) \(f(x + 5)),\(f(y))\" fill=\"\(fill)\" stroke=\"\(color)\"/>\n"
        case "cross":
            return
                "<path d=\"M\(f(x - 4)),\(f(y - 4)) L\(f(x + 4)),\(f(y + 4)) M\(f(x - 4)),\(f(y + 4)) L\(f(x + 4)),\(f(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        default:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4\" fill=\"\(fill)\" stroke=\"\(color)\"/>\n"
        }
    }

    // MARK: - Scales

    static func range(_ values: [Double], scale: Scale, includeZero: Bool = false) -> (Double, Double) {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard var low = usable.min(), var high = usable.max() else { return scale == .log10 ? (1, 10) : (0, 1) }
        switch scale {
        case .log10:
            low = pow(10, (log10(low)).rounded(.down))
            high = pow(10, (log10(high)).rounded(.up))
            if low == high { high = low * 10 }
        case .linear:
            if includeZero { low = min(low, 0) }
            if low == high { high = low + 1 }
            let step = niceStep((high - low) / 5)
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        return (low, high)
    }

    static func position(_ value: Double, in range: (Double, Double), scale: Scale) -> Double {
        switch scale {
        case .log10: return (log10(max(value, range.0)) - log10(range.0)) / (log10(range.1) - log10(range.0))
        case .linear: return (value - range.0) / (range.1 - range.0)
        }
    }

    static func ticks(_ range: (Double, Double), scale: Scale) -> [Double] {
        switch scale {
        case .log10:
            var ticks: [Double] = []
            var tick = range.0
            while tick <= range.1 * 1.000001 {
                ticks.append(tick)
                tick *= 10
            }
            return ticks
        case .linear:
            let step = niceStep((range.1 - range.0) / 5)
            return stride(from: range.0, through: range.1 + step / 1000, by: step).map { $0 }
        }
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    static func tickLabel(_ value: Double, scale: Scale) -> String {
        if scale == .log10 {
            let exponent = Int(log10(value).rounded())
            switch exponent {
            case 0: return "1"
            case 1: return "10"
            case 2: return "100"
            case 3: return "1k"
            case 6: return "1M"
            case 9: return "1G"
            default: return exponent < 0 ? String(format: "%g", value) : "1e\(exponent)"
            }
        }
        return abs(value) >= 1000 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Coordinates with two decimals.
func f(_ value: Double) -> String {
    String(format: "%.2f", value)
}

/// 100%-stacked bars: one bar per category, segments as shares of the bar's total.
struct SVGStackedBars {
    var title: String
    var yLabel: String
    var categories: [String]
    /// Segment name → value per category (same order as `categories`).
    var segments: [(name: String, values: [Double])]
    /// A label above each bar (e.g. its total).
    var barLabels: [String]

    func render() -> String {
        let p = SVGChart.plot
        let plotWidth = SVGChart.width - p.left - p.right
        let plotHeight = SVGChart.height - p.top - p.bottom
        var svg = SVGChart.header(title: title)
        svg +=
            "<rect x=\"\(f(p.left))\" y=\"\(f(p.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        for percent in stride(from: 0, through: 100, by: 20) {
            let y = p.top + plotHeight * (1 - Double(percent) / 100)
            svg += "<line x1=\"\(f(p.left - 5))\" y1=\"\(f(y))\" x2=\"\(f(p.left))\" y2=\"\(f(y))\" stroke=\"#444\"/>\n"
            svg += "<text x=\"\(f(p.left - 8))\" y=\"\(f(y + 4))\" font-size=\"12\" text-anchor=\"end\">\(percent)%</text>\n"
        }
        svg +=
            "<text x=\"18\" y=\"\(f(p.top + plotHeight / 2))\" font-size=\"13\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 18 \(f(p.top + plotHeight / 2)))\">\(SVGChart.escape(yLabel))</text>\n"
        let slot = plotWidth / Double(max(categories.count, 1))
        let barWidth = slot * 0.6
        let patterns = ["", "url(#hatch1)", "url(#hatch2)", "url(#hatch3)", "url(#hatch4)", "url(#hatch5)"]
        svg += "<defs>\n"
        for (index, angle) in [45, -45, 0, 90, 30].enumerated() {
            svg +=
                "<pattern id=\"hatch\(index + 1)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(\(angle))\"><rect width=\"6\" height=\"6\" fill=\"white\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"\(SVGChart.styles[(index + 1) % SVGChart.styles.count].color)\" stroke-width=\"3\"/></pattern>\n"
        }
        svg += "</defs>\n"
        for (c, category) in categories.enumerated() {
            let total = segments.reduce(0) { $0 + max(0, $1.values[c]) }
            let x = p.left + slot * Double(c) + (slot - barWidth) / 2
            var top = p.top + plotHeight
            for (s, segment) in segments.enumerated() {
                let share = total > 0 ? max(0, segment.values[c]) / total : 0
                let height = plotHeight * share
                top -= height
                let fill = patterns[s % patterns.count].isEmpty ? SVGChart.styles[0].color : patterns[s % patterns.count]
                svg +=
                    "<rect class=\"segment\" data-name=\"\(SVGChart.escape(segment.name))\" x=\"\(f(x))\" y=\"\(f(top))\" "
                    + "width=\"\(f(barWidth))\" height=\"\(f(height))\" fill=\"\(fill)\" stroke=\"#222\"/>\n"
            }
            svg +=
                "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(p.top + plotHeight + 20))\" font-size=\"12\" text-anchor=\"middle\">\(SVGChart.escape(category))</text>\n"
            svg +=
                "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(p.top - 6))\" font-size=\"11\" text-anchor=\"middle\">\(SVGChart.escape(barLabels[c]))</text>\n"
        }
        svg +=
            "<text x=\"\(f(p.left + plotWidth / 2))\" y=\"\(f(SVGChart.height - 18))\" font-size=\"13\" text-anchor=\"middle\">n (elements)</text>\n"
        for (s, segment) in segments.enumerated() {
            let x = SVGChart.width - p.right + 16
            let y = p.top + 10 + Double(s) * 22
            let fill = patterns[s % patterns.count].isEmpty ? SVGChart.styles[0].color : patterns[s % patterns.count]
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 7))\" width=\"16\" height=\"14\" fill=\"\(fill)\" stroke=\"#222\"/>\n"
            svg += "<text x=\"\(f(x + 22))\" y=\"\(f(y + 4))\" font-size=\"12\">\(SVGChart.escape(segment.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}

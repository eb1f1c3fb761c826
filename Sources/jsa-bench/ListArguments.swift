import Analysis
import ArgumentParser
import BenchModel
import JSA
import Foundation
import Sweep
import SystemIO

/// A comma-separated list of kernel names, parsed with `Kernel(parsing:)` and its error message.
struct KernelList: ExpressibleByArgument {
    let kernels: [Kernel]

    /// Why a list is not a kernel list: a name that is not a kernel (`JSAError`'s message), or no name.
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `text`: names separated by commas, at least one.
    init(parsing text: String) throws(ParseError) {
        var kernels: [Kernel] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            do {
                kernels.append(try Kernel(parsing: String(name)))
            } catch {
                throw ParseError(description: error.description)
            }
        }
        guard !kernels.isEmpty else { throw ParseError(description: "no kernel named (expected names: auto, scalar, avx2, avx512)") }
        self.kernels = kernels
    }

    init?(argument: String) {
        guard let list = try? KernelList(parsing: argument) else { return nil }
        self = list
    }

    static var defaultCompletionKind: CompletionKind {
        .list(Kernel.allCases.map(\.rawValue))
    }
}

/// The comma-separated lists of the command line, parsed into their types by `@Option(transform:)`
/// so that a command's properties are typed and a bad list is a usage error that says why.
enum ListArguments {
    /// Input lengths: `1000`, `1_000`, `1e3`, `2.5e5`, comma-separated.
    static func sizes(_ text: String) throws -> [Int] {
        try usage { () throws(SizeList.ParseError) in try SizeList.parse(text) }
    }

    /// Kernel names, comma-separated.
    static func kernels(_ text: String) throws -> [Kernel] {
        try usage { () throws(KernelList.ParseError) in try KernelList(parsing: text).kernels }
    }

    /// Counter groups, comma-separated.
    static func counters(_ text: String) throws -> CounterSelection {
        try usage { () throws(CounterSelection.ParseError) in try CounterSelection(parsing: text) }
    }

    /// Comparison metrics, comma-separated, each once.
    static func metrics(_ text: String) throws -> [ComparisonMetric] {
        var metrics: [ComparisonMetric] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let metric = ComparisonMetric(rawValue: name) else {
                throw ValidationError(
                    "unknown metric '\(name)' (expected: \(ComparisonMetric.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !metrics.contains(metric) { metrics.append(metric) }
        }
        guard !metrics.isEmpty else { throw ValidationError("no metric named") }
        return metrics
    }

    /// Simulated caches: `portable`, or `LEVEL=SIZE,WAYS,LINE` items joined by `;`.
    static func simulatedCaches(_ text: String) throws -> [SimulatedCacheGeometry.Level: SimulatedCache] {
        try usage { () throws(SimulatedCacheSetting.ParseError) in try SimulatedCacheSetting.parse(text) }
    }

    /// One `NAME=VALUE` for a child's environment.
    static func environmentAssignment(_ text: String) throws -> EnvironmentAssignment {
        try usage { () throws(EnvironmentAssignment.ParseError) in try EnvironmentAssignment(parsing: text) }
    }

    /// `parse`'s value, or its error's one-line description as a usage error.
    private static func usage<Value, Failure: Error & CustomStringConvertible>(
        _ parse: () throws(Failure) -> Value
    ) throws -> Value {
        do {
            return try parse()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// PAPI event names, comma-separated (the command checks them against PAPI in `validate()`,
    /// whose message names an unknown event without echoing a list of any length).
    static func events(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

import Foundation
import Measurement

/// What `--counters` asks for: PAPI event groups counted around every timed sample, and
/// callgrind's instruction counts (`callgrind`) or its cache and branch simulation (`cachesim`,
/// which includes the instruction counts) from a pass under valgrind after the timed sweep.
public struct CounterSelection: Equatable, Sendable {
    public var groups: [CounterGroup]
    public var callgrind: Bool
    public var cacheSimulation = false

    /// Why a list is not a counter selection: the name that is no group.
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(groups: [CounterGroup] = [], callgrind: Bool = false) {
        self.groups = groups
        self.callgrind = callgrind
    }

    /// Parses names separated by commas (case-insensitive, blanks ignored): the groups of
    /// `CounterGroup` and `callgrind`. Empty items are skipped.
    public init(parsing text: String) throws(ParseError) {
        self.init()
        for item in text.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            if name == "callgrind" {
                callgrind = true
            } else if name == "cachesim" {
                callgrind = true
                cacheSimulation = true
            } else if let group = CounterGroup(rawValue: name) {
                groups.append(group)
            } else {
                throw ParseError(
                    description: "unknown group '\(name)' (expected: "
                        + (CounterGroup.allCases.map(\.rawValue) + ["callgrind", "cachesim"]).joined(separator: ", ") + ")")
            }
        }
    }
}

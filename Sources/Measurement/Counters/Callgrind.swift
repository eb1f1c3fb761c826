import BenchModel
import CMeasurement
import Foundation

/// Deterministic counts from valgrind's callgrind: the process being measured runs under
/// `valgrind --tool=callgrind --collect-atstart=no`, switches collection on only around each
/// measured call, and dumps one labelled part per case; the parent reads the parts.
///
/// Counts are repeatable for the same binary, inputs, environment and (with `--cache-sim=yes`)
/// simulated cache geometry, whatever the machine is doing — unlike time. Valgrind cannot execute
/// AVX-512 and hides it from CPUID, so AVX-512 code is never reached under it. Valgrind 3.19
/// cannot read DWARF 5: the C targets are built with DWARF 4 (Package.swift), so the release
/// build itself runs under it.
///
/// Valgrind starts with instrumentation off (`--instr-atstart=no`): building inputs, verifying
/// outputs and everything else between the measured cases runs uninstrumented, several times
/// faster, and unseen by the simulated caches. `measure` switches instrumentation on for its
/// case. The cache simulator sees every instrumented access, counted or not: collection only
/// decides which are added up. So one uncounted call before the counted ones leaves the
/// simulated caches warm, and an uncounted eviction before each call leaves them cold.
public enum Callgrind {
    /// Whether this process runs under valgrind.
    public static var isActive: Bool { mx_running_on_valgrind() != 0 }

    /// Counts `calls` calls of `body` and dumps them as part `label`.
    ///
    /// Instrumented but uncounted: the same `calls` calls once first (a first call pays one-time
    /// work — lazy binding, the allocator growing its heap, 7000 instructions once for the first
    /// allocating case — which is not the call's cost), and `prepare` before every counted call
    /// (cache eviction in cold mode).
    public static func measure(label: String, calls: Int, prepare: () -> Void = {}, _ body: () -> Void) {
        mx_callgrind_start_instrumentation()
        defer { mx_callgrind_stop_instrumentation() }
        // One loop over both passes: the first `calls` warm the simulated caches and branch
        // predictor with exactly the code and data of the counted ones, and `zero` discards their
        // counts. One loop, not a loop run twice, because the compiler peels a two-pass loop into
        // two copies of its body: the counted copy's instructions were then fetched for the first
        // time while counted, one instruction miss (and LL miss) per case or none depending on
        // where the linker put them — 37 estimated cycles per call that moved with unrelated code.
        for call in 0..<(2 * calls) {
            if call == calls { mx_callgrind_zero() }
            prepare()
            mx_callgrind_toggle_collect()
            body()
            mx_callgrind_toggle_collect()
        }
        label.withCString { mx_callgrind_dump($0) }
    }

    /// The valgrind executable on PATH, if any.
    public static func valgrindPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/valgrind" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Every labelled part in the callgrind output files of `folder`, by label.
    ///
    /// - Parameter object: the object file (a path as valgrind names it) whose per-instruction
    ///   costs to keep (the dumps must then be written with `--dump-instr=yes`); nil for none.
    public static func readDumps(in folder: String, instructionsOf object: String? = nil) throws -> [String: Dump] {
        var dumps: [String: Dump] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            if let dump = Dump(parsing: text, instructionsOf: object) { dumps[dump.label] = dump }
        }
        return dumps
    }

    /// One part of callgrind's output, as a client request dumped it.
    public struct Dump: Sendable, Equatable {
        /// The label given to `CALLGRIND_DUMP_STATS_AT`.
        public var label: String
        /// `callgrind-3.19.0`.
        public var creator: String?
        /// Event name (`Ir`, `D1mr`, …) → total over the part: its `summary:` line, what
        /// callgrind collected. (The `totals:` line, the sum of the cost lines, also holds the
        /// instructions that ran in the collection toggle itself after it switched on — one per
        /// call, and its first fetch's misses; it is read only where there is no summary.)
        public var totals: [String: UInt64]
        /// The simulated caches (`--cache-sim=yes` only), from the part's `desc:` lines.
        public var geometry: SimulatedCacheGeometry?
        /// Instruction address in the requested object → instructions executed there (`Ir`).
        public var instructionCounts: [UInt64: UInt64]

        /// Parses one output file of callgrind; nil when no client request made it (the part
        /// written at exit).
        public init?(parsing text: String, instructionsOf object: String? = nil) {
            let trigger = "desc: Trigger: Client Request: "
            var label: String?
            var creator: String?
            var events: [String] = []
            var totals: [String: UInt64]?
            var caches: [SimulatedCacheGeometry.Level: SimulatedCache] = [:]
            var positions = PositionTracker()
            var objects: [String: String] = [:]
            var inObject = false
            var nextLineIsCallCost = false
            var instructionCounts: [UInt64: UInt64] = [:]
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let first = line.first else { continue }
                if first.isNumber || first == "+" || first == "-" || first == "*" {
                    let fields = line.split(separator: " ")
                    guard let address = positions.next(fields[0]) else { continue }
                    defer { nextLineIsCallCost = false }
                    if inObject, !nextLineIsCallCost, positions.isInstructionPositions, fields.count > 1,
                        let ir = UInt64(fields[1])
                    {
                        instructionCounts[address, default: 0] += ir
                    }
                    continue
                }
                if line.hasPrefix(trigger) {
                    label = String(line.dropFirst(trigger.count))
                } else if line.hasPrefix("creator: ") {
                    creator = String(line.dropFirst("creator: ".count))
                } else if line.hasPrefix("positions: ") {
                    positions.isInstructionPositions = line.split(separator: " ").dropFirst().first == "instr"
                } else if line.hasPrefix("events: ") {
                    events = line.dropFirst("events: ".count).split(separator: " ").map(String.init)
                } else if line.hasPrefix("summary: ") || (line.hasPrefix("totals: ") && totals == nil) {
                    let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
                    totals = Dictionary(
                        zip(events, values + Array(repeating: 0, count: max(0, events.count - values.count))),
                        uniquingKeysWith: { a, _ in a })
                } else if line.hasPrefix("desc: "), let (level, cache) = Self.parseCache(line) {
                    caches[level] = cache
                } else if line.hasPrefix("ob=") {
                    inObject = object != nil && Self.resolve(line.dropFirst(3), in: &objects) == object
                } else if line.hasPrefix("calls=") {
                    nextLineIsCallCost = true
                }
            }
            guard let label, let totals else { return nil }
            self.label = label
            self.creator = creator
            self.totals = totals
            if let i1 = caches[.i1], let d1 = caches[.d1], let ll = caches[.ll] {
                geometry = SimulatedCacheGeometry(i1: i1, d1: d1, ll: ll)
            }
            self.instructionCounts = instructionCounts
        }

        /// `desc: D1 cache: 49152 B, 64 B, 12-way associative` → (D1, the cache).
        static func parseCache(_ line: Substring) -> (SimulatedCacheGeometry.Level, SimulatedCache)? {
            let words = line.split(separator: " ")
            guard words.count >= 8, words[2] == "cache:", let level = SimulatedCacheGeometry.Level(rawValue: String(words[1])),
                let size = Int(words[3]), let lineBytes = Int(words[5]), words[7].hasSuffix("-way"),
                let ways = Int(words[7].dropLast(4))
            else { return nil }
            return (level, SimulatedCache(sizeBytes: size, associativity: ways, lineBytes: lineBytes))
        }

        /// The name of a compressed `(id) name` or `(id)` reference, remembering new ones.
        static func resolve(_ reference: Substring, in names: inout [String: String]) -> String? {
            guard reference.hasPrefix("("), let close = reference.firstIndex(of: ")") else { return String(reference) }
            let id = String(reference[..<close])
            let rest = reference[reference.index(after: close)...].drop(while: { $0 == " " })
            if !rest.isEmpty { names[id] = String(rest) }
            return names[id]
        }
    }

    /// The position of a cost line in callgrind's compressed format: an absolute number (hex with
    /// `0x`), `+N` or `-N` from the previous one, or `*` for the same.
    struct PositionTracker {
        var isInstructionPositions = false
        private var last: UInt64 = 0

        mutating func next(_ field: Substring) -> UInt64? {
            let value: UInt64?
            if field == "*" {
                value = last
            } else if field.hasPrefix("+") {
                value = UInt64(field.dropFirst()).map { last &+ $0 }
            } else if field.hasPrefix("-") {
                value = UInt64(field.dropFirst()).map { last &- $0 }
            } else if field.hasPrefix("0x") {
                value = UInt64(field.dropFirst(2), radix: 16)
            } else {
                value = UInt64(field)
            }
            if let value { last = value }
            return value
        }
    }
}

import CMeasurement
import Foundation

/// Deterministic instruction counts from valgrind's callgrind: the process being measured runs
/// under `valgrind --tool=callgrind --collect-atstart=no`, switches collection on only around each
/// measured call, and dumps one labelled part per case; the parent reads the parts.
///
/// Counts are repeatable for the same binary, inputs and environment, whatever the machine is
/// doing — unlike time. Valgrind cannot execute AVX-512 and hides it from CPUID, so AVX-512 code is
/// never reached under it. Valgrind 3.19 cannot read DWARF 5: the C targets are built with DWARF 4
/// (Package.swift), so the release build itself runs under it.
public enum Callgrind {
    /// Whether this process runs under valgrind.
    public static var isActive: Bool { mx_running_on_valgrind() != 0 }

    /// Counts the instructions of `calls` calls of `body` and dumps them as part `label`, after one
    /// call that is not counted: a first call pays one-time work (lazy binding, the allocator
    /// growing its heap — 7000 instructions once for the first allocating case), which is not the
    /// call's cost.
    public static func measure(label: String, calls: Int, _ body: () -> Void) {
        body()
        mx_callgrind_zero()
        for _ in 0..<calls {
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

    /// Instruction totals of the labelled parts in the callgrind output files of `folder`
    /// (`label → Ir`), from their `desc: Trigger: Client Request: <label>` and `totals:` lines.
    public static func readDumps(in folder: String) throws -> [String: UInt64] {
        var totals: [String: UInt64] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            if let (label, total) = parseDump(text) { totals[label] = total }
        }
        return totals
    }

    /// The label and total instructions of one dump, or nil for a dump no client request made.
    static func parseDump(_ text: String) -> (String, UInt64)? {
        let trigger = "desc: Trigger: Client Request: "
        var label: String?
        var total: UInt64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix(trigger) { label = String(line.dropFirst(trigger.count)) }
            if line.hasPrefix("totals: ") { total = UInt64(line.dropFirst("totals: ".count).split(separator: " ")[0]) }
            if line.hasPrefix("summary: "), total == nil { total = UInt64(line.dropFirst("summary: ".count).split(separator: " ")[0]) }
        }
        guard let label, let total else { return nil }
        return (label, total)
    }
}

import BenchModel
import Foundation
import SystemIO

extension CacheTopology {
    /// Reads `/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}` under `root`.
    public static func read(sysfsRoot root: String = "/sys/devices/system/cpu/cpu0/cache") -> CacheTopology {
        var topology = CacheTopology(l1dBytes: nil, l2Bytes: nil, l3Bytes: nil)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for entry in entries where entry.hasPrefix("index") {
            let folder = root + "/" + entry
            guard let level = SysfsText.read(folder + "/level").flatMap(Int.init),
                let type = SysfsText.read(folder + "/type"),
                let size = SysfsText.read(folder + "/size").flatMap(parseSize)
            else { continue }
            switch (level, type) {
            case (1, "Data"), (1, "Unified"): topology.l1dBytes = size
            case (2, _) where type != "Instruction": topology.l2Bytes = size
            case (3, _) where type != "Instruction": topology.l3Bytes = size
            default: break
            }
        }
        return topology
    }

    /// Parses sysfs sizes: `32K`, `1024K`, `32M`, or plain bytes.
    static func parseSize(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let multiplier = multipliers[last] {
            return Int(text.dropLast()).map { $0 * multiplier }
        }
        return Int(text)
    }
}

/// The trimmed text of a small file of sysfs or procfs, or nil for a missing or empty one.
enum SysfsText {
    /// Read to its end with read(2): Foundation's `String(contentsOfFile:)` stops after its first
    /// read on a file whose size says 0, as every /proc file's does (3787 bytes of a
    /// /proc/self/smaps many times longer, 2026-12-05).
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let text = String(decoding: PipeReader(descriptor: descriptor).readToEnd(), as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

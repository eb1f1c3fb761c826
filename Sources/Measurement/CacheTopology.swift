import Foundation

/// The data-cache sizes of CPU 0, read from sysfs at run time, and which level a working set lives in.
public struct CacheTopology: Codable, Hashable, Sendable {
    /// Level-1 data cache, bytes.
    public var l1dBytes: Int?
    /// Level-2 (unified) cache, bytes.
    public var l2Bytes: Int?
    /// Level-3 (unified, usually shared) cache, bytes.
    public var l3Bytes: Int?

    public init(l1dBytes: Int?, l2Bytes: Int?, l3Bytes: Int?) {
        self.l1dBytes = l1dBytes
        self.l2Bytes = l2Bytes
        self.l3Bytes = l3Bytes
    }

    enum CodingKeys: String, CodingKey {
        case l1dBytes = "l1d_bytes"
        case l2Bytes = "l2_bytes"
        case l3Bytes = "l3_bytes"
    }

    /// Where a working set lives: the smallest level that holds it.
    public enum Level: String, Codable, Hashable, Sendable, CaseIterable {
        case l1 = "L1"
        case l2 = "L2"
        case l3 = "L3"
        case dram = "DRAM"
    }

    /// The level whose capacity holds `workingSetBytes` (DRAM beyond the last known level).
    public func level(ofWorkingSet workingSetBytes: Int) -> Level {
        if let l1dBytes, workingSetBytes <= l1dBytes { return .l1 }
        if let l2Bytes, workingSetBytes <= l2Bytes { return .l2 }
        if let l3Bytes, workingSetBytes <= l3Bytes { return .l3 }
        return .dram
    }

    /// Capacity of `level`, bytes (nil for DRAM or an unknown level).
    public func capacity(of level: Level) -> Int? {
        switch level {
        case .l1: return l1dBytes
        case .l2: return l2Bytes
        case .l3: return l3Bytes
        case .dram: return nil
        }
    }

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

/// One trimmed line of a small text file (sysfs, procfs), or nil.
enum SysfsText {
    static func read(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

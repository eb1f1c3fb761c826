/// The data-cache sizes of CPU 0 (read from sysfs by Measurement), and which level a working set lives in.
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
}

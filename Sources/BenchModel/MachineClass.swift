/// The facts of an `Environment` that decide whether times measured on two machines can be
/// compared: the CPU model, logical CPUs, caches and the CPU-feature cap — not the host name (CI
/// runners are renamed, and guests of one class are interchangeable).
public struct MachineClass: Codable, Hashable, Sendable {
    public var cpuModel: String
    public var logicalCPUs: Int
    public var caches: CacheTopology
    /// `Environment.disabledCPUFeatures`; nil where the run did not record it.
    public var disabledCPUFeatures: [String]?

    public init(cpuModel: String, logicalCPUs: Int, caches: CacheTopology, disabledCPUFeatures: [String]?) {
        self.cpuModel = cpuModel
        self.logicalCPUs = logicalCPUs
        self.caches = caches
        self.disabledCPUFeatures = disabledCPUFeatures
    }

    public init(_ environment: Environment) {
        self.init(
            cpuModel: environment.cpuModel, logicalCPUs: environment.logicalCPUs, caches: environment.caches,
            disabledCPUFeatures: environment.disabledCPUFeatures)
    }

    /// How `other` differs from this class, one message per field naming both values (this one's
    /// first); empty when they are the same class. The cap is compared only where both recorded it.
    public func differences(from other: MachineClass) -> [String] {
        var problems: [String] = []
        func differs<T: Equatable>(_ field: String, _ a: T, _ b: T, _ show: (T) -> String) {
            if a != b { problems.append("\(field) differs (\(show(a)) vs \(show(b)))") }
        }
        let bytes = { (value: Int?) in value.map(String.init) ?? "unknown" }
        differs("cpu_model", cpuModel, other.cpuModel) { "'\($0)'" }
        differs("logical_cpus", logicalCPUs, other.logicalCPUs) { "\($0)" }
        differs("caches.l1d_bytes", caches.l1dBytes, other.caches.l1dBytes, bytes)
        differs("caches.l2_bytes", caches.l2Bytes, other.caches.l2Bytes, bytes)
        differs("caches.l3_bytes", caches.l3Bytes, other.caches.l3Bytes, bytes)
        if let cap = disabledCPUFeatures, let otherCap = other.disabledCPUFeatures {
            differs("disabled_cpu_features", cap, otherCap) { $0.isEmpty ? "none" : $0.joined(separator: ",") }
        }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case cpuModel = "cpu_model"
        case logicalCPUs = "logical_cpus"
        case caches
        case disabledCPUFeatures = "disabled_cpu_features"
    }
}

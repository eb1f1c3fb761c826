import BenchModel
import CMeasurement
import Foundation
import SystemIO

extension Environment {
    /// This build's configuration, decided at compile time.
    public static var thisBuild: String {
        #if DEBUG
            return "debug"
        #else
            return "release"
        #endif
    }

    /// Reads the environment of this process now.
    public static func capture() -> Environment {
        let cpuinfo = SysfsText.read("/proc/cpuinfo") ?? ""
        let flags = Set(Self.cpuinfoField("flags", in: cpuinfo)?.split(separator: " ").map(String.init) ?? [])
        let simdFlags = flags.filter { $0 == "sse2" || $0.hasPrefix("avx") || $0 == "fma" }.sorted()
        var load = [0.0, 0.0, 0.0]
        let loadCount = getloadavg(&load, 3)
        let cpufreq = "/sys/devices/system/cpu/cpu0/cpufreq"
        let khz = { (file: String) in SysfsText.read("\(cpufreq)/\(file)").flatMap(Double.init).map { $0 / 1000 } }
        let processInfo = ProcessInfo.processInfo
        let python = Self.pythonVersions()
        var environment = Environment(
            hostname: processInfo.hostName,
            os: Self.osName(),
            kernel: Self.uname(),
            cpuModel: Self.cpuinfoField("model name", in: cpuinfo) ?? "unknown",
            cpuFlags: simdFlags,
            logicalCPUs: processInfo.activeProcessorCount,
            caches: CacheTopology.read(),
            governor: SysfsText.read("\(cpufreq)/scaling_governor"),
            frequencyMHz: khz("scaling_cur_freq") ?? Self.cpuinfoField("cpu MHz", in: cpuinfo).flatMap(Double.init),
            maxFrequencyMHz: khz("cpuinfo_max_freq"),
            virtualMachine: flags.contains("hypervisor"),
            hypervisor: SysfsText.read("/sys/hypervisor/type") ?? SysfsText.read("/sys/class/dmi/id/sys_vendor"),
            loadAverage: loadCount == 3 ? load : [],
            memoryBytes: Int(exactly: processInfo.physicalMemory),
            swiftCompiler: Self.swiftCompiler,
            cCompiler: String(cString: mx_c_compiler_version()),
            buildConfiguration: thisBuild,
            pythonVersion: python.python,
            numpyVersion: python.numpy)
        environment.transparentHugePages = transparentHugePagePolicy()
        return environment
    }

    /// The system's transparent-huge-page mode: the bracketed word of
    /// /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never" → "madvise"); nil
    /// where the file is missing (a kernel without THP).
    public static func transparentHugePagePolicy() -> String? {
        transparentHugePagePolicy(in: SysfsText.read("/sys/kernel/mm/transparent_hugepage/enabled"))
    }

    /// The bracketed word of a transparent_hugepage/enabled text; nil for none.
    static func transparentHugePagePolicy(in text: String?) -> String? {
        guard let text, let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    /// Asks Debian's python3 for its version and NumPy's (one short subprocess, at most 10 s).
    static func pythonVersions(interpreter: String = "/usr/bin/python3") -> (python: String?, numpy: String?) {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else { return (nil, nil) }
        let script = "import sys; print(sys.version.split()[0])\ntry:\n import numpy; print(numpy.__version__)\nexcept Exception: print('')"
        guard let run = try? ChildProcess.run(interpreter, ["-I", "-c", script], timeout: 10) else { return (nil, nil) }
        let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let python = lines.first.flatMap { $0.isEmpty ? nil : $0 }
        let numpy = lines.count > 1 && !lines[1].isEmpty ? lines[1] : nil
        return (python, numpy)
    }

    /// The first value of `field` in /proc/cpuinfo text.
    static func cpuinfoField(_ field: String, in cpuinfo: String) -> String? {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == field {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func uname() -> String {
        var info = utsname()
        guard Foundation.uname(&info) == 0 else { return "unknown" }
        func text<Field>(_ field: Field) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(info.sysname)) \(text(info.release))"
    }

    static func osName() -> String {
        let text = SysfsText.read("/etc/os-release") ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    static var swiftCompiler: String {
        #if compiler(>=6.4)
            return "swift >= 6.4"
        #elseif compiler(>=6.3)
            return "swift 6.3"
        #elseif compiler(>=6.2)
            return "swift 6.2"
        #else
            return "swift < 6.2"
        #endif
    }
}

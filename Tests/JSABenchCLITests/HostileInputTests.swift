import Foundation
import Testing

/// The device number of the null device, major 1 minor 3 (glibc's makedev is a macro).
private let nullDeviceNumber = dev_t((1 << 8) | 3)

/// Hostile input met with one-line errors and their documented exit codes: one test per finding
/// of the "holds everywhere" probe, named after it.
@Suite(.serialized) struct HostileInputTests {
    /// A folder with one small sweep's results in it, made once for the tests that read results.
    static let fixture: (folder: String, results: String) = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-hostile-\(UUID())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let results = folder + "/results.json"
        _ = try? JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "3",
                                      "--min-sample-ms", "0.2", "--no-python", "--no-report", "--quiet", "--out", results])
        return (folder, results)
    }()

    /// Every command that writes a file, aimed at `path`: each must refuse with 73 and leave it be.
    static func writers(to path: String) -> [[String]] {
        [
            ["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "1", "--no-python", "--no-report", "--out", path],
            ["python", "--sizes", "1000", "--samples", "1", "--out", path],
            ["export", fixture.results, "--format", "csv", "-o", path],
            ["gate", "--calibrate", "--rounds", "2", "--sizes", "1000", "--kernels", "scalar", "--noise", path],
        ]
    }

    @Test func item1_outputToADeviceNodeIsRefusedAndTheNodeSurvives() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-device-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        var targets = ["/dev/null", "/dev/full", fifo, folder]
        if getuid() == 0 {  // a private null device: as root the old code replaced such nodes
            #expect(mknod(folder + "/null", S_IFCHR | 0o666, nullDeviceNumber) == 0)
            targets.append(folder + "/null")
        }
        for target in targets {
            for arguments in Self.writers(to: target) {
                let result = try JSABenchProcess.run(arguments)
                #expect(result.status == 73, "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix("jsa-bench: error: ") && result.stderr.filter { $0 == "\n" }.count == 1,
                        "\(arguments): \(result.stderr)")
            }
        }
        for target in targets {
            var status = stat()
            #expect(lstat(target, &status) == 0 && status.st_mode & S_IFMT != S_IFREG, "\(target) became a regular file")
        }
        let report = try JSABenchProcess.run(["report", Self.fixture.results, "--output", "/dev"])
        #expect(report.status == 73)
        #expect(!FileManager.default.fileExists(atPath: "/dev/REPORT.md"))
    }

    @Test func item6_aFailedWriteToStandardOutputIsAnError() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        for arguments in [["export", Self.fixture.results, "--format", "csv"], ["export", Self.fixture.results, "--format", "gbench"],
                          ["compare", Self.fixture.results, Self.fixture.results], ["env"], ["env", "--json"]] {
            let result = try JSABenchProcess.run(arguments, standardOutput: full)
            #expect(result.status == 74, "\(arguments)")
            #expect(result.stderr == "jsa-bench: error: error writing standard output: No space left on device\n", "\(arguments)")
        }
    }

    @Test func item6_aSweepWhoseSummaryCannotBePrintedKeepsItsResults() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-full-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2", "--no-python",
             "--quiet", "--out", folder + "/results.json"], standardOutput: full)
        #expect(result.status == 74)
        #expect(result.stderr.contains("(the results are in \(folder)/results.json and \(folder)/REPORT.md)"))
        #expect(FileManager.default.fileExists(atPath: folder + "/results.json"))
        #expect(FileManager.default.fileExists(atPath: folder + "/REPORT.md"))
    }
}

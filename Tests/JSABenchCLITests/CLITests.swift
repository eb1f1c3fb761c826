import Foundation
import Testing

/// Runs the built `jsa-bench` executable (next to the test bundle) as a user would.
struct JSABenchProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("jsa-bench")
    }()

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "JSA_DISABLE_CPU_FEATURES")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct VerifyCommandTests {
    @Test func verifyPassesAndPrintsTheTable() throws {
        let result = try JSABenchProcess.run(["verify", "--random-cases", "50"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("length mod 16 (all remainders)"))
        #expect(result.stdout.contains("batch descending"))
        #expect(result.stdout.contains("PASS:"))
    }

    @Test func verifyIsTheDefaultSubcommand() throws {
        let result = try JSABenchProcess.run(["--random-cases", "5"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("PASS:"))
    }

    @Test func capMakesAutoFallBackAndExplicitAVX512Fail() throws {
        let capped = ["JSA_DISABLE_CPU_FEATURES": "avx512f"]
        let table = try JSABenchProcess.run(["verify", "--random-cases", "5"], environment: capped)
        #expect(table.status == 0)
        #expect(table.stdout.contains("capped by JSA_DISABLE_CPU_FEATURES: avx512f"))
        #expect(!table.stdout.contains("auto → avx512"))
        #expect(table.stdout.contains("n/a avx512: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"))

        let required = try JSABenchProcess.run(["verify", "--random-cases", "5", "--require", "avx512"], environment: capped)
        #expect(required.status == 69)
        #expect(required.stderr.contains(
            "jsa-bench: error: kernel 'avx512' is not supported here: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"))
    }

    @Test func malformedCapIsAConfigurationError() throws {
        let result = try JSABenchProcess.run(["verify"], environment: ["JSA_DISABLE_CPU_FEATURES": "avx9"])
        #expect(result.status == 78)
        #expect(result.stderr == "jsa-bench: error: JSA_DISABLE_CPU_FEATURES: unknown CPU feature 'avx9' (known: avx2, avx512f)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [["verify", "--require", "avx9"], ["verify", "--random-cases", "-1"], ["verify", "--bogus"], ["nosuch"]])
    func usageErrorsExit64(arguments: [String]) throws {
        let result = try JSABenchProcess.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

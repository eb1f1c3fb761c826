import Foundation
import Testing

@Suite(.serialized) struct VerifyCommandTests {
    @Test func verifyPassesAndPrintsTheTable() throws {
        let result = try JSABenchProcess.run(["verify", "--random-cases", "50"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("length mod 16 (all remainders)"))
        #expect(result.stdout.contains("batch descending"))
        #expect(result.stdout.contains("PASS:"))
    }

    /// Under the cap, auto falls back and an explicit avx512 fails with the reason that applies:
    /// the cap's where this CPU has AVX-512F, the CPU's own where it does not.
    @Test func capMakesAutoFallBackAndExplicitAVX512Fail() throws {
        let capped = ["JSA_DISABLE_CPU_FEATURES": "avx512f"]
        let reason = try #require(HostCPU.reasonUnsupported(.avx512, cap: "avx512f"))
        let table = try JSABenchProcess.run(["verify", "--random-cases", "5"], environment: capped)
        #expect(table.status == 0)
        #expect(table.stdout.contains("capped by JSA_DISABLE_CPU_FEATURES: avx512f"))
        #expect(!table.stdout.contains("auto → avx512"))
        #expect(table.stdout.contains("n/a avx512: \(reason)"), "\(table.stdout)")

        let required = try JSABenchProcess.run(["verify", "--random-cases", "5", "--require", "avx512"], environment: capped)
        #expect(required.status == 69)
        #expect(required.stderr.contains("jsa-bench: error: kernel 'avx512' is not supported here: \(reason)"), "\(required.stderr)")
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

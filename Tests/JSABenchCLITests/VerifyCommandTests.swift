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

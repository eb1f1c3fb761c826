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

    /// Every other variant this CPU runs is verified by a child with its variable set, unless
    /// `--variants current`; under the avx2 cap there is none.
    @Test func theOtherVariantsAreVerifiedInChildProcesses() throws {
        let all = try JSABenchProcess.run(["verify", "--random-cases", "20"])
        #expect(all.status == 0, "\(all.stdout)\n\(all.stderr)")
        let others = all.stdout.split(separator: "\n").filter { $0.hasPrefix("  JSA_") }
        let expected = (HostCPU.effective.supports(.avx2) ? 1 : 0) + (HostCPU.effective.supports(.avx512) ? 1 : 0)
        #expect(others.count >= expected, "\(all.stdout)")
        #expect(others.allSatisfy { $0.contains("_VARIANT=") && $0.contains(": PASS: ") }, "\(all.stdout)")
        if HostCPU.effective.supports(.avx2) {
            #expect(all.stdout.contains("The other variants, each in a child process with its variable set:"))
        }
        let current = try JSABenchProcess.run(["verify", "--random-cases", "20", "--variants", "current"])
        #expect(current.status == 0 && !current.stdout.contains("The other variants"))
        let scalarOnly = try JSABenchProcess.run(["verify", "--random-cases", "5"], environment: ["JSA_DISABLE_CPU_FEATURES": "avx2"])
        #expect(scalarOnly.status == 0 && !scalarOnly.stdout.contains("The other variants"))
    }

    @Test func malformedCapIsAConfigurationError() throws {
        let result = try JSABenchProcess.run(["verify"], environment: ["JSA_DISABLE_CPU_FEATURES": "avx9"])
        #expect(result.status == 78)
        #expect(result.stderr == "jsa-bench: error: JSA_DISABLE_CPU_FEATURES: unknown CPU feature 'avx9' (known: avx2, avx512f)\n")
        #expect(result.stdout.isEmpty)
    }

    /// A forced variant runs and says so; one that names nothing, or one that needs AVX-512VL on a
    /// CPU without it, is a configuration error before anything runs.
    @Test func forcedVariantsRunAndSaySoAndBadOnesAreConfigurationErrors() throws {
        if HostCPU.effective.supports(.avx2) {
            let forced = try JSABenchProcess.run(["verify", "--random-cases", "5"], environment: ["JSA_AVX2_VARIANT": "split-loads"])
            #expect(forced.status == 0 && forced.stdout.contains("avx2 as split-loads (forced by JSA_AVX2_VARIANT)"), "\(forced.stdout)")
        }
        let unknown = try JSABenchProcess.run(["verify"], environment: ["JSA_AVX2_VARIANT": "fast"])
        #expect(unknown.status == 78 && unknown.stdout.isEmpty)
        #expect(
            unknown.stderr == "jsa-bench: error: JSA_AVX2_VARIANT: unknown variant 'fast' (known: split-loads, lane-permute, lag-ring)\n")
        if HostCPU.effective.supports(.avx2) {
            // env names the variant that runs and how to force the others.
            let named = try JSABenchProcess.run(["env"], environment: ["JSA_AVX2_VARIANT": "split-loads"])
            #expect(
                named.stdout.contains("AVX2:     split-loads: ")
                    && named.stdout.contains(
                        "forced by JSA_AVX2_VARIANT; also runs lane-permute (JSA_AVX2_VARIANT=lane-permute), "
                            + "lag-ring (JSA_AVX2_VARIANT=lag-ring)"),
                "\(named.stdout)")
        }
        let env = try JSABenchProcess.run(["env"], environment: ["JSA_AVX512_VARIANT": "zmm"])
        #expect(
            env.status == 78
                && env.stderr.contains("JSA_AVX512_VARIANT: unknown variant 'zmm' (known: zmm-mixed, ymm-alignr, zmm-permute, ymm-ring)"))
    }

    @Test(arguments: [["verify", "--require", "avx9"], ["verify", "--random-cases", "-1"], ["verify", "--bogus"], ["nosuch"]])
    func usageErrorsExit64(arguments: [String]) throws {
        let result = try JSABenchProcess.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

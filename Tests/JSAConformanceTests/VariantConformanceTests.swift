import JSA
import JSAConformance
import Testing

/// The other variants' child runs, with a shell standing in for `jsa-bench verify` so that each
/// way a child can end is produced on purpose.
@Suite struct VariantConformanceTests {
    /// A CPU whose avx2 kernel runs, whatever this one is: a child per other avx2 variant.
    let cpu = CPUFeatures(detected: [.avx2], compiled: [.avx2])
    var others: [String] { AVX2Variant.allCases.filter { $0 != .current }.map(\.rawValue) }
    var other: String { others[0] }

    func run(_ script: String) -> VariantConformance {
        VariantConformance.run(executable: "/bin/sh", arguments: ["-c", script], cpu: cpu)
    }

    @Test func aChildThatRanTheVariantAndPassedPasses() {
        // The child sees its variable: it names the variant it ran from it.
        let passed = run("echo \"Variants: avx2 as $JSA_AVX2_VARIANT (forced by JSA_AVX2_VARIANT)\"; echo 'PASS: 5 cases'")
        #expect(passed.passed)
        #expect(passed.outcomes == others.map { .init(assignment: "JSA_AVX2_VARIANT=\($0)", passed: true, summary: ["PASS: 5 cases"]) })
        #expect(
            passed.lines()
                == ["", "The other variants, each in a child process with its variable set:"]
                + others.map { "  JSA_AVX2_VARIANT=\($0): PASS: 5 cases" })
    }

    @Test func aDifferenceAChildThatRanSomethingElseOrAnyOtherEndFails() {
        let differs = run(
            "echo \"Variants: avx2 as $JSA_AVX2_VARIANT (x)\"; echo 'FAIL (2 cases) first: avx2 / random / n=7: index 3'; "
                + "echo 'FAIL: some kernels differ from scalar (see above)'; exit 1")
        #expect(!differs.passed)
        #expect(
            differs.outcomes.first?.summary == [
                "FAIL (2 cases) first: avx2 / random / n=7: index 3", "FAIL: some kernels differ from scalar (see above)"
            ])
        let elsewhere = run("echo 'Variants: avx2 as something-else (x)'; echo 'PASS: 5 cases'")
        #expect(!elsewhere.passed)
        #expect(elsewhere.outcomes.first?.summary == ["the child did not run avx2 as \(other)"])
        let crashed = run("echo 'half a table'; echo 'jsa-bench: error: it broke' >&2; exit 70")
        #expect(!crashed.passed)
        #expect(crashed.outcomes.first?.summary == ["exited 70 without a verdict: jsa-bench: error: it broke"])
    }

    @Test func noOtherVariantNoChildAndNothingToSay() {
        let none = VariantConformance.run(executable: "/bin/false", arguments: [], cpu: CPUFeatures(detected: [], compiled: [.avx2]))
        #expect(none.passed && none.outcomes.isEmpty && none.lines().isEmpty)
    }
}

import ArgumentParser
import JSA
import JSAConformance
import SystemIO

/// `jsa-bench verify`: every kernel this CPU supports against scalar, bit for bit.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every supported kernel bit for bit against scalar, and scalar against the definition.",
        discussion: """
            Runs edge cases (every remainder of length mod 16, leading NaN runs, NaN/±inf/-0/subnormal \
            values inside the data, period 1 and period = valid length, direct-write, batch ascending / \
            descending / single / parallel) and seeded random inputs, then prints a pass/fail table. \
            A process runs one variant of each SIMD kernel; every other variant this CPU runs is \
            verified the same way by a child process with JSA_AVX2_VARIANT or JSA_AVX512_VARIANT set \
            (--variants current leaves them out). Exits 0 only when every kernel and variant that ran \
            is bit-identical; 1 when one differs; 69 when a kernel named by --require cannot run here.
            """
    )

    @Option(help: "Seed of the random inputs (the same seed builds the same inputs everywhere).")
    var seed: UInt64 = 0x5EED_15A

    @Option(help: "Number of random cases (lengths 1...5000).")
    var randomCases: Int = 2000

    @Option(
        help: ArgumentHelp(
            "Kernels that must run here, comma-separated (e.g. avx2,avx512): fail with 69 if one cannot.",
            valueName: "kernels"))
    var require: KernelList?

    @Option(
        help: ArgumentHelp(
            "Which kernel variants: all (each other variant in a child process too) or current (this process's).",
            valueName: "scope"))
    var variants: VariantScope = .all

    /// `--variants`.
    enum VariantScope: String, CaseIterable, ExpressibleByArgument {
        case all, current
    }

    func validate() throws {
        guard (0...10_000_000).contains(randomCases) else {
            throw ValidationError("--random-cases must be in 0...10000000, got \(randomCases)")
        }
    }

    func run() throws {
        let run: ConformanceRun
        do {
            run = try ConformanceRun.run(ConformanceSuite.standard(seed: seed, randomCases: randomCases))
        } catch {
            throw failure(error.description, ExitStatus.config)
        }
        try emit(run.table() + "\n")
        let others =
            variants == .all
            ? VariantConformance.run(
                executable: RunningExecutable.path,
                arguments: ["verify", "--variants", "current", "--seed", "\(seed)", "--random-cases", "\(randomCases)"],
                cpu: run.cpu)
            : VariantConformance(outcomes: [])
        try emit(others.lines().map { $0 + "\n" }.joined())
        for kernel in require?.kernels ?? [] {
            do {
                _ = try kernel.resolved()
            } catch {
                throw failure(error.description, ExitStatus.unavailable)
            }
        }
        if !run.passed || !others.passed {
            throw ExitStatus.verificationFailed
        }
    }
}

import JSA
import SystemIO

/// The variants of the SIMD kernels that this process does not run, each verified by a child
/// process of the same program with the variable that forces it set: a process runs one variant
/// of each kernel (the auto table's rule, or `JSA_AVX2_VARIANT` / `JSA_AVX512_VARIANT`), so the
/// others are reached only from processes of their own.
public struct VariantConformance: Sendable {
    /// One variant's child run.
    public struct Outcome: Sendable, Equatable {
        /// The assignment the child ran with (`JSA_AVX2_VARIANT=split-loads`).
        public let assignment: String
        public let passed: Bool
        /// The child's verdict lines (its `PASS:` line, or each `FAIL` line), or why it did not run.
        public let summary: [String]

        public init(assignment: String, passed: Bool, summary: [String]) {
            self.assignment = assignment
            self.passed = passed
            self.summary = summary
        }
    }

    public let outcomes: [Outcome]

    public init(outcomes: [Outcome]) {
        self.outcomes = outcomes
    }

    /// True when every child passed (and when there was no other variant to run).
    public var passed: Bool { outcomes.allSatisfy(\.passed) }

    /// Runs `executable arguments` — a conformance run of this process's variants only, which
    /// exits 0 when every kernel passed and 1 when one differed — once per variant of
    /// `ForcedVariants.others(on: cpu)`, with that variant forced.
    public static func run(executable: String, arguments: [String], cpu: CPUFeatures) -> VariantConformance {
        VariantConformance(
            outcomes: ForcedVariants.others(on: cpu).map { other in
                let assignment = "\(other.variable)=\(other.value)"
                let completion: ChildProcess.Completion
                do {
                    completion = try ChildProcess.run(executable, arguments, environment: [other.variable: other.value])
                } catch {
                    return Outcome(assignment: assignment, passed: false, summary: ["did not run: \(error)"])
                }
                let output = completion.text.split(separator: "\n").map(String.init)
                let verdicts = output.filter { $0.hasPrefix("PASS:") || $0.hasPrefix("FAIL") }
                guard completion.termination == .exited(0) || completion.termination == .exited(1), !verdicts.isEmpty else {
                    let why = completion.standardError.split(separator: "\n").last.map(String.init) ?? "no output"
                    return Outcome(assignment: assignment, passed: false, summary: ["\(completion.termination) without a verdict: \(why)"])
                }
                // The child says which variant each kernel ran (the table's "Variants:" line).
                guard output.contains(where: { $0.hasPrefix("Variants:") && $0.contains("\(other.kernel) as \(other.value) ") }) else {
                    return Outcome(
                        assignment: assignment, passed: false, summary: ["the child did not run \(other.kernel) as \(other.value)"])
                }
                return Outcome(assignment: assignment, passed: completion.termination == .exited(0), summary: verdicts)
            })
    }

    /// What `jsa-bench verify` prints after its table (nothing when there is no other variant).
    public func lines() -> [String] {
        guard !outcomes.isEmpty else { return [] }
        return ["", "The other variants, each in a child process with its variable set:"]
            + outcomes.flatMap { outcome in outcome.summary.map { "  \(outcome.assignment): \($0)" } }
    }
}

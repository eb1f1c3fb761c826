import ArgumentParser
import BenchModel

/// `--budgets FILE`: the performance budgets a run is judged against (see Results/Budgets.swift
/// for the format; Reports/budgets/jsa-bench.budgets holds this project's own).
struct BudgetsOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Budgets file: one 'METRIC CASES [level=L] OP BOUND [-- description]' per line; "
                + "each is judged met, MISSED or within noise by the 95% intervals.", valueName: "file"))
    var budgets: String?

    /// The budgets, or none without `--budgets`. A missing file exits 66, a malformed one 65,
    /// naming the line and the field.
    func load() throws -> [Budget] {
        guard let budgets else { return [] }
        let text = try readInput(budgets)
        do {
            return try BudgetFile.parse(text)
        } catch {
            throw failure("\(budgets): \(error)", ExitStatus.dataError)
        }
    }
}

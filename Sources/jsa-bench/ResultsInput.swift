import Analysis
import ArgumentParser
import BenchModel
import Foundation
import Results
import SystemIO

/// Reads a results file, mapping its problems to exit codes: missing 66, invalid 65, and analyses
/// it: every derived figure (statistics, estimates, ratios) is recomputed from the raw samples, so
/// a file written without its analysis (v1, a checkpoint of an interrupted run) or edited after it
/// reads the same as one fresh from a sweep (the analysis is seeded: an untouched file gives
/// exactly the figures stored in it).
func readResults(_ path: String) throws -> ResultsDocument {
    do {
        var document = try ResultsFile.read(path)
        Analysis.analyze(&document)
        return document
    } catch {
        switch error {
        case .missing: throw failure(error.description, ExitStatus.noInput)
        case .invalid: throw failure(error.description, ExitStatus.dataError)
        }
    }
}

/// The text of an input file (budgets, thresholds, noise floor, reproducibility), mapping its
/// problems to exit codes: missing 66, unreadable or not text 65.
func readInput(_ path: String) throws -> String {
    do {
        return try InputFile.text(path)
    } catch {
        switch error {
        case .missing: throw failure(error.description, ExitStatus.noInput)
        case .unreadable: throw failure(error.description, ExitStatus.dataError)
        }
    }
}

/// Reads a reproducibility report (`jsa-bench reproduce`): missing 66, not one 65.
func readReproducibility(_ path: String) throws -> ReproducibilityReport {
    let data = Data(try readInput(path).utf8)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let report = try? decoder.decode(ReproducibilityReport.self, from: data),
        report.schema == ReproducibilityReport.schemaVersion
    else {
        throw failure("\(path): not a \(ReproducibilityReport.schemaVersion) document", ExitStatus.dataError)
    }
    return report
}

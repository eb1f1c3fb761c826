import Analysis
import ArgumentParser
import BenchModel
import History
import Results

/// `jsa-bench history add`: stores results files, each as one run.
struct HistoryAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store results files in the history (each run once; all files or none).")

    @Argument(help: ArgumentHelp("Results JSON files.", valueName: "results.json"))
    var files: [String]

    @OptionGroup var store: HistoryStoreOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one results file") }
    }

    func run() throws {
        let history = try store.open(readOnly: false)
        var outcomes: [String] = []
        do {
            // One transaction for every file: a file that cannot be read stores none of them.
            try history.add(files, reading: Self.read) { file, outcome in
                switch outcome {
                case .added(let cases): outcomes.append("\(file): added (\(cases) cases)")
                case .alreadyStored: outcomes.append("\(file): already stored")
                }
            }
        } catch let error as HistoryStoreFailure {
            throw HistoryStoreOption.exit(error)
        } catch let error as ResultsFile.ReadError {
            switch error {
            case .missing: throw failure("\(error.description); nothing was added", ExitStatus.noInput)
            case .invalid: throw failure("\(error.description); nothing was added", ExitStatus.dataError)
            }
        }
        try emit(outcomes.map { $0 + "\n" }.joined())
    }

    /// A results document as its sweep analysed it: the analysis in the file is used as it is (a
    /// v1 document, which has none, is analysed here).
    @Sendable static func read(_ path: String) throws -> ResultsDocument {
        var document = try ResultsFile.read(path)
        if document.analysis == nil { Analysis.analyze(&document) }
        return document
    }
}

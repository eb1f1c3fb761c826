import BenchModel
import Foundation
import SystemIO

/// Reading and writing results JSON.
public enum ResultsFile {
    /// Why a results file could not be read: missing (exit 66) or not a valid document (exit 65).
    public enum ReadError: Error, CustomStringConvertible {
        case missing(path: String)
        case invalid(path: String, problem: String)

        public var description: String {
            switch self {
            case let .missing(path): return "\(path): no such file"
            case let .invalid(path, problem): return "\(path): \(problem)"
            }
        }
    }

    /// The encoding every writer uses: pretty, sorted keys (stable diffs), non-finite numbers as strings.
    public static func encode(_ document: ResultsDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(document)
    }

    /// Writes `document` to `path` atomically.
    public static func write(_ document: ResultsDocument, to path: String) throws {
        try AtomicFile.write(try encode(document), to: path)
    }

    /// Reads and validates a results file: it must exist, be JSON, follow a schema this version
    /// reads, have every required field, and pass `ResultsValidation`.
    public static func read(_ path: String) throws(ReadError) -> ResultsDocument {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            switch error {
            case .missing: throw .missing(path: path)
            case .unreadable(_, let reason): throw .invalid(path: path, problem: reason)
            }
        }
        return try decode(data, path: path)
    }

    /// Decodes and validates the bytes of a results file; `path` names it in errors. Any bytes
    /// give a document or an error, never a trap (Fuzz/results feeds it arbitrary input).
    public static func decode(_ data: Data, path: String) throws(ReadError) -> ResultsDocument {
        struct SchemaProbe: Decodable { let schema: String? }
        guard let probe = try? JSONDecoder().decode(SchemaProbe.self, from: data) else {
            throw .invalid(path: path, problem: "not a JSON object (truncated or not a results file)")
        }
        guard let schema = probe.schema, ResultsDocument.readableSchemas.contains(schema) else {
            throw .invalid(
                path: path,
                problem: "schema \(probe.schema.map { "'\($0)'" } ?? "missing"), expected "
                    + ResultsDocument.readableSchemas.map { "'\($0)'" }.joined(separator: " or "))
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let document: ResultsDocument
        do {
            document = try decoder.decode(ResultsDocument.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid(path: path, problem: "missing field '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalid(path: path, problem: "wrong type at '\(Self.path(context.codingPath))'")
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalid(path: path, problem: "invalid value at '\(Self.path(context.codingPath))'")
        } catch {
            throw .invalid(path: path, problem: "\(error)")
        }
        if let problem = ResultsValidation.firstProblem(document) {
            throw .invalid(path: path, problem: problem)
        }
        return document
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

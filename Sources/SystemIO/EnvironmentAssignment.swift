/// One `NAME=VALUE` for a child process's environment (`ChildProcess`'s `environment`), as
/// `jsa-bench gate --baseline-env` and `--head-env` take it. NAME is a portable variable name —
/// letters, digits and `_`, not starting with a digit; VALUE is anything after the first `=`,
/// empty included.
public struct EnvironmentAssignment: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let value: String

    /// Why a text is not an assignment, in one line.
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Parses `NAME=VALUE`.
    public init(parsing text: String) throws(ParseError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ParseError(description: "'\(text)' is not NAME=VALUE")
        }
        let name = String(text[..<equals])
        guard Self.isName(name) else {
            throw ParseError(description: "'\(name)' is not a variable name (letters, digits and _, not starting with a digit)")
        }
        self.init(name: name, value: String(text[text.index(after: equals)...]))
    }

    public var description: String { "\(name)=\(value)" }

    /// `assignments` as `ChildProcess`'s environment changes (each variable set to its value).
    /// - Throws: `ParseError` naming a variable assigned twice.
    public static func changes(_ assignments: [EnvironmentAssignment]) throws(ParseError) -> [String: String?] {
        var changes: [String: String?] = [:]
        for assignment in assignments {
            guard changes[assignment.name] == nil else {
                throw ParseError(description: "\(assignment.name) is assigned twice")
            }
            changes[assignment.name] = assignment.value
        }
        return changes
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }
}

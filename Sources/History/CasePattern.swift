/// The project's case patterns (`*` matches any run of characters, everything else itself) in
/// each store's query language.
enum CasePattern {
    /// As a SQLite GLOB pattern: `*` stays, the other GLOB metacharacters match themselves.
    static func sqliteGlob(_ pattern: String) -> String {
        var glob = ""
        for character in pattern {
            switch character {
            case "?": glob += "[?]"
            case "[": glob += "[[]"
            default: glob.append(character)
            }
        }
        return glob
    }

    /// As a SQL LIKE pattern with `\` as its escape character: `*` becomes `%`; `%`, `_` and `\`
    /// match themselves.
    static func sqlLike(_ pattern: String) -> String {
        var like = ""
        for character in pattern {
            switch character {
            case "*": like += "%"
            case "%", "_", "\\": like += "\\\(character)"
            default: like.append(character)
            }
        }
        return like
    }
}

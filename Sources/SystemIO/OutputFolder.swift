#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder side of `OutputPath`'s policy: a folder jsa-bench writes files into (a report, the
/// runs of `reproduce`, history charts) is created with its parents when missing, must be a
/// directory when it exists, and never lies under `/dev`, `/proc` or `/sys`, whatever symbolic
/// links lead there.
public enum OutputFolder {
    /// Creates `path` and its missing parents (mode 0755), or checks the folder that is there.
    /// - Throws: `OutputPath.Refusal` (one line, naming the path) for an empty path, a system
    ///   folder, something other than a directory on the way, or what `mkdir(2)` refused.
    public static func create(_ path: String) throws(OutputPath.Refusal) {
        guard !path.isEmpty else { throw OutputPath.Refusal(path: "''", reason: "the path is empty") }
        // The nearest part of the path that exists, resolved, and the folders still to make below it
        // (without the empty names of doubled slashes and the "." ones).
        var existing = path
        var missing: [String] = []
        func add(_ name: Substring) { if !name.isEmpty && name != "." { missing.insert(String(name), at: 0) } }
        while OutputPath.realPath(existing) == nil {
            let trimmed = existing.count > 1 && existing.hasSuffix("/") ? String(existing.dropLast()) : existing
            guard let slash = trimmed.lastIndex(of: "/") else {
                add(trimmed[...])
                existing = "."
                break
            }
            add(trimmed[trimmed.index(after: slash)...])
            existing = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
        }
        guard let base = OutputPath.realPath(existing) else {
            throw OutputPath.Refusal(path: path, reason: "folder \(existing) does not exist")
        }
        let target = missing.reduce(base) { ($0 == "/" ? "" : $0) + "/" + $1 }
        for system in OutputPath.systemFolders where target == system || target.hasPrefix(system + "/") {
            throw OutputPath.Refusal(path: path, reason: "\(target) is under \(system); jsa-bench writes regular files only")
        }
        var folder = base
        for name in missing {
            var status = stat()
            if stat(folder, &status) == 0, status.st_mode & S_IFMT != S_IFDIR {
                throw OutputPath.Refusal(path: path, reason: "\(folder) is \(OutputPath.kind(status.st_mode)), not a folder")
            }
            folder = (folder == "/" ? "" : folder) + "/" + name
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw OutputPath.Refusal(path: path, reason: "cannot create \(folder): \(OutputPath.errorText())")
            }
        }
        var status = stat()
        guard stat(target, &status) == 0 else { throw OutputPath.Refusal(path: path, reason: OutputPath.errorText()) }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw OutputPath.Refusal(path: path, reason: "it is \(OutputPath.kind(status.st_mode)), not a folder")
        }
    }
}

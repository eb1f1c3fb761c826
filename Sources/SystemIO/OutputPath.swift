#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one policy for every file jsa-bench writes: a regular file, or a new name in an existing
/// folder — never a device node, a directory, a FIFO or socket, and nothing under `/dev`, `/proc`
/// or `/sys`, whatever symbolic links lead there.
///
/// Writes are atomic (a temporary file, then `rename(2)`), and `rename` replaces whatever the
/// destination is: run as root with `--out /dev/null`, it turned the system's null device into a
/// regular file. So the destination is resolved and checked first, and the rename goes to the
/// resolved path (a symbolic link to a results file stays a link, and its target is replaced).
public struct OutputPath: Sendable, Equatable {
    /// Why a path cannot be written: one line, naming the path.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Folders no output may enter: the kernel's device and pseudo file systems.
    public static let systemFolders = ["/dev", "/proc", "/sys"]

    /// The path as given.
    public let path: String
    /// Where the bytes go: `path` with its folder's symbolic links, and its own, resolved.
    public let destination: String
    /// The folder of `destination` (where the temporary file is made, on the same file system).
    public let folder: String
    /// Whether `destination` exists (as a regular file).
    public let exists: Bool

    /// Resolves and checks `path`.
    /// - Throws: `Refusal` for an empty path, a missing folder, a dangling link, a system folder,
    ///   or an existing destination that is not a regular file.
    public init(_ path: String) throws(Refusal) {
        guard !path.isEmpty else { throw Refusal(path: "''", reason: "the path is empty") }
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let slash = trimmed.lastIndex(of: "/")
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        let given = slash.map { String(trimmed[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        guard let folder = Self.realPath(given) else {
            throw Refusal(path: path, reason: "folder \(given) does not exist")
        }
        var destination =
            name.isEmpty || name == "." || name == ".."
            ? Self.realPath(trimmed) ?? trimmed : (folder == "/" ? "" : folder) + "/" + name
        var status = stat()
        if lstat(destination, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK {
            guard let target = Self.realPath(destination) else {
                throw Refusal(path: path, reason: "it is a symbolic link to nothing")
            }
            destination = target
        }
        for system in Self.systemFolders where destination == system || destination.hasPrefix(system + "/") {
            throw Refusal(path: path, reason: "\(destination) is under \(system); jsa-bench writes regular files only")
        }
        exists = stat(destination, &status) == 0
        if exists, status.st_mode & S_IFMT != S_IFREG {
            throw Refusal(path: path, reason: "it is \(Self.kind(status.st_mode)), not a regular file")
        }
        self.path = path
        self.destination = destination
        self.folder =
            String(destination[..<(destination.lastIndex(of: "/") ?? destination.startIndex)])
            .nonEmpty ?? "/"
    }

    /// Checks, before any work, that the file can be created: the policy above, and a probe file
    /// created and removed in its folder (so a read-only folder fails now, not after the run).
    public static func checkWritable(_ path: String) throws(Refusal) {
        let output = try OutputPath(path)
        let probe = output.folder + "/.jsa-bench-probe-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Refusal(path: path, reason: Self.errorText()) }
        close(descriptor)
        unlink(probe)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What kind of file `mode` says, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// The text of the current `errno`.
    static func errorText() -> String { String(cString: strerror(errno)) }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

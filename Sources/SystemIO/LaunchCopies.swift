#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Copies of executables at paths of the same length, in a private temporary folder, for starting
/// processes whose measurements are to be compared: each process's `argv[0]` and its own resolved
/// path (`/proc/self/exe`) are as long as the others', whatever the originals' paths, and each runs
/// from freshly written pages.
///
/// How long the path of the program a process runs is moves what it measures. The gate's way (b)
/// with one build against a byte-identical copy of itself (AMD Zen 5 guest, 2026-12-05, n = 1000):
/// started by a 60-character path on one side and an 18-character one on the other,
/// `native/into_offset/avx2` read 0.983–0.985 and `bare_c/avx2` 1.012–1.018 in all of six gates;
/// started through links of equal length to the same two files, `alloc/avx512` still read 1.101,
/// the files' own paths being as unequal as before; copies at paths of equal length 0.990–1.008 in
/// every case. Both are heap layouts: a path the runtime keeps is allocated by its length, and
/// where the allocating case's output lands decides the loop its kernel runs. The folder and the
/// copies are removed with this value; a folder whose owner was killed outright (SIGKILL: no
/// `deinit`) is removed by the next value made in the same directory.
public final class LaunchCopies {
    /// The file name of every copy: the same for all, and for every run.
    public static let fileName = "jsa-bench"
    /// The start of every folder's name, `jsa-bench-launch-<owner>-XXXXXX`: the owner's process id
    /// in `ownerDigits` digits (zero-padded, so that the folders' paths are of one length whichever
    /// process made them), then mkdtemp's six characters.
    public static let folderPrefix = "jsa-bench-launch-"
    public static let ownerDigits = 10

    /// The copies, `<folder>/<side>/jsa-bench`, in the order the sides were given.
    public let paths: [String]
    private let folder: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes a folder in `directory` — or, where programs may not run from it (a temporary folder
    /// mounted noexec), in the folder of the first executable, which one already runs from — after
    /// removing the abandoned folders there (`removeAbandoned(in:)`), and copies each executable
    /// into `<folder>/<side>/jsa-bench` (the program a link leads to; permissions kept).
    /// `allowsExecution` says whether programs may run from a folder (`allowsExecution(_:)`).
    /// - Precondition: at least one side; the side names are of one length (so are the copies'
    ///   paths).
    /// - Throws: `Failure`, naming the executable or the folders, when no folder programs may run
    ///   from can be had, or the folder or a copy cannot be made.
    public init(
        _ sides: [(side: String, executable: String)], in directory: String = FileManager.default.temporaryDirectory.path,
        allowsExecution: (String) -> Bool = LaunchCopies.allowsExecution
    ) throws(Failure) {
        precondition(!sides.isEmpty && Set(sides.map(\.side.utf8.count)).count == 1, "sides, with names of one length")
        var directory = directory
        if !allowsExecution(directory) {
            let beside = URL(fileURLWithPath: sides[0].executable).resolvingSymlinksInPath().deletingLastPathComponent().path
            guard allowsExecution(beside) else {
                throw Failure(
                    description: "programs may not run from \(directory) (mounted noexec), nor from \(beside): "
                        + "set TMPDIR to a folder they may run from, for the copies of the measuring processes")
            }
            directory = beside
        }
        Self.removeAbandoned(in: directory)
        let owner = String(getpid())
        let name = Self.folderPrefix + String(repeating: "0", count: max(0, Self.ownerDigits - owner.count)) + owner
        var template = Array((directory + "/" + name + "-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(
                description: "cannot make a folder in \(directory) for the workers' executables: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        var paths: [String] = []
        for (side, original) in sides {
            let copy = folder + "/" + side + "/" + Self.fileName
            do {
                try FileManager.default.createDirectory(atPath: folder + "/" + side, withIntermediateDirectories: false)
                let file = URL(fileURLWithPath: original).resolvingSymlinksInPath().path  // the program, not a link to it
                try FileManager.default.copyItem(atPath: file, toPath: copy)
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                throw Failure(description: "cannot copy \(original) for its workers: \(error.localizedDescription)")
            }
            paths.append(copy)
        }
        self.paths = paths
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Whether programs may run from files in `folder`: false where its file system is mounted
    /// noexec (statvfs's `ST_NOEXEC`), as a hardened `/tmp` often is; true where that cannot be read
    /// (starting the copy then says what is wrong).
    public static func allowsExecution(_ folder: String) -> Bool {
        #if os(Linux)
            let noexec: UInt = 8  // ST_NOEXEC of <sys/statvfs.h>, which Swift does not see (_GNU_SOURCE)
            var info = statvfs()
            guard statvfs(folder, &info) == 0 else { return true }
            return info.f_flag & noexec == 0
        #else
            return true
        #endif
    }

    /// Removes the folders of `directory` that a process no longer running made (`folderPrefix`, its
    /// id, and this user's), and returns their paths. A gate or sweep killed outright leaves its
    /// copies behind (27 MB for one build); they go with the next. Left alone: folders whose owner
    /// runs (or whose id is running another program — the cost is a folder kept, never one taken
    /// from a live run), other users' folders, names not of this form.
    @discardableResult
    public static func removeAbandoned(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(folderPrefix) {
            let digits = name.dropFirst(folderPrefix.count).prefix(ownerDigits)
            guard digits.count == ownerDigits, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let owner = pid_t(digits), owner > 0, kill(owner, 0) == -1, errno == ESRCH
            else { continue }
            let path = directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, status.st_uid == geteuid(), (status.st_mode & S_IFMT) == S_IFDIR else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil {
                removed.append(path)
            }
        }
        return removed
    }
}

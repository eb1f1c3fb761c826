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

    /// Removes the abandoned folders of `directory` (`removeAbandoned(in:)`), makes a folder there and
    /// copies each executable into `<folder>/<side>/jsa-bench` (the program a link leads to;
    /// permissions kept).
    /// - Precondition: the side names are of one length (so are the copies' paths).
    /// - Throws: `Failure`, naming the executable, when the folder or a copy cannot be made.
    public init(
        _ sides: [(side: String, executable: String)], in directory: String = FileManager.default.temporaryDirectory.path
    ) throws(Failure) {
        precondition(Set(sides.map(\.side.utf8.count)).count <= 1, "side names of one length")
        Self.removeAbandoned(in: directory)
        let owner = String(getpid())
        let name = Self.folderPrefix + String(repeating: "0", count: max(0, Self.ownerDigits - owner.count)) + owner
        var template = Array((directory + "/" + name + "-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot make a temporary folder for the workers' executables: \(String(cString: strerror(errno)))")
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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Copies of two executables at paths of the same length, in a private temporary folder, for
/// starting processes that are to be compared: each process's `argv[0]` and its own resolved path
/// (`/proc/self/exe`) are as long as the other's, and each runs from freshly written pages.
///
/// How long the path of the program a process runs is moves what it measures. The gate's way (b)
/// with one build against a byte-identical copy of itself (AMD Zen 5 guest, 2026-12-05, n = 1000):
/// started by a 60-character path on one side and an 18-character one on the other,
/// `native/into_offset/avx2` read 0.983–0.985 and `bare_c/avx2` 1.012–1.018 in all of six gates;
/// started through links of equal length to the same two files, `alloc/avx512` still read 1.101,
/// the files' own paths being as unequal as before; copies at paths of equal length 0.995–1.007 in
/// every case. Both are heap layouts: a path the runtime keeps is allocated by its length, and
/// where the allocating case's output lands decides the loop its kernel runs. The folder and the
/// copies are removed with this value.
public final class LaunchCopies {
    /// The copies, `<folder>/base/<name>` and `<folder>/head/<name>` with the name of the head's
    /// executable: equal in length.
    public let base: String
    public let head: String
    private let folder: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the folder and copies `base` and `head` into it (permissions kept).
    /// - Throws: `Failure`, naming the executable, when the folder or a copy cannot be made.
    public init(base target: String, head headTarget: String) throws(Failure) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/jsa-bench-launch-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot make a temporary folder for the workers' executables: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        let name = (headTarget as NSString).lastPathComponent
        base = folder + "/base/" + name
        head = folder + "/head/" + name
        for (copy, original) in [(base, target), (head, headTarget)] {
            do {
                let side = (copy as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: side, withIntermediateDirectories: false)
                let file = URL(fileURLWithPath: original).resolvingSymlinksInPath().path  // the program, not a link to it
                try FileManager.default.copyItem(atPath: file, toPath: copy)
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                throw Failure(description: "cannot copy \(original) for its workers: \(error.localizedDescription)")
            }
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Symbolic links of the same path length to two executables, in a private temporary folder, for
/// starting processes that are to be compared: a process started through either sees an
/// `argv[0]` (and `AT_EXECFN`) as long as the other's.
///
/// How long the path a program was started by is moves what it measures: the gate's way (b) with
/// one build on both sides, started by its 60-character path on one side and a 16-character
/// link to the same file on the other, put `native/into_offset/avx2` at n = 1000 1.7% faster on
/// the long side and `bare_c/avx2` 1.8% slower, in every round (AMD Zen 5 guest, 2026-12-05); two
/// paths of equal length, even to different copies, 0.995–1.003. The links remove that
/// difference between the two sides of a comparison; the folder is removed with this value.
public final class LaunchLinks {
    /// The links, `<folder>/base/<name>` and `<folder>/head/<name>` with the name of the head's
    /// executable: equal in length.
    public let base: String
    public let head: String
    private let folder: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the folder and the two links (to `base` and `head` as given, relative paths resolved
    /// against the current directory).
    /// - Throws: `Failure` when the temporary folder or a link cannot be made.
    public init(base target: String, head headTarget: String) throws(Failure) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/jsa-bench-launch-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot make a temporary folder for the workers' links: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        let name = (headTarget as NSString).lastPathComponent
        base = folder + "/base/" + name
        head = folder + "/head/" + name
        for (link, target) in [(base, target), (head, headTarget)] {
            let absolute = target.hasPrefix("/") ? target : FileManager.default.currentDirectoryPath + "/" + target
            do {
                let side = (link as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: side, withIntermediateDirectories: false)
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: absolute)
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                throw Failure(description: "cannot link \(target) for its workers: \(error.localizedDescription)")
            }
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

import Foundation
import SystemIO

/// The git commit of the source a run measured, when there is one and git is installed.
public struct GitRevision: Sendable {
    public let commit: String
    /// Tracked files differ from the commit.
    public let dirty: Bool

    /// Asks git about `directory`; nil outside a repository.
    public static func current(in directory: String) -> GitRevision? {
        guard let commit = git(["rev-parse", "HEAD"], in: directory), commit.count == 40 else { return nil }
        let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory)
        return GitRevision(commit: commit, dirty: !(status ?? "").isEmpty)
    }

    /// The revision of the checkout `executable` was built in: SwiftPM builds into
    /// `CHECKOUT/.build*/…`, so the nearest folder above it that holds a `Package.swift`. Nil for
    /// a binary outside any package (copied or installed), whatever the working directory is: a run
    /// started from another repository must not claim that repository's commit.
    public static func ofExecutable(_ executable: String = "/proc/self/exe") -> GitRevision? {
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return current(in: folder.path)
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    private static func git(_ arguments: [String], in directory: String) -> String? {
        guard let run = try? ChildProcess.run("git", ["-C", directory] + arguments, timeout: 10),
            run.termination == .exited(0)
        else { return nil }
        return run.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

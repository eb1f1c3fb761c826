import Foundation
import SystemIO

/// The git commit of the working directory, when there is one and git is installed.
public struct GitRevision: Sendable {
    public let commit: String
    /// Tracked files differ from the commit.
    public let dirty: Bool

    /// Asks git about `directory` (default: the current one); nil outside a repository.
    public static func current(in directory: String = FileManager.default.currentDirectoryPath) -> GitRevision? {
        guard let commit = git(["rev-parse", "HEAD"], in: directory), commit.count == 40 else { return nil }
        let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory)
        return GitRevision(commit: commit, dirty: !(status ?? "").isEmpty)
    }

    private static func git(_ arguments: [String], in directory: String) -> String? {
        guard let run = try? ChildProcess.run("git", ["-C", directory] + arguments, timeout: 10),
            run.termination == .exited(0)
        else { return nil }
        return run.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = PipeReader(pipe.fileHandleForReading).readToEnd()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

import Foundation
import SystemIO
import Testing
@testable import Measurement

@Suite struct GitRevisionTests {
    /// Runs git in `folder`; the tests need git, as the project's own checkout does.
    static func git(_ arguments: [String], in folder: URL) throws -> String {
        let run = try ChildProcess.run(
            "git", ["-C", folder.path, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"] + arguments,
            timeout: 30)
        #expect(run.termination == .exited(0), "git \(arguments): \(run.standardError)")
        return run.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A package checkout with one commit and an executable in its build folder, as SwiftPM lays them out.
    static func checkout() throws -> (root: URL, executable: URL, commit: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("git-revision-\(UUID())")
        let bin = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try "// swift-tools-version:6.0\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try ".build\n".write(to: root.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        let executable = bin.appendingPathComponent("jsa-bench")
        try "".write(to: executable, atomically: true, encoding: .utf8)
        _ = try git(["init", "-q"], in: root)
        _ = try git(["add", "."], in: root)
        _ = try git(["commit", "-q", "-m", "one"], in: root)
        return (root, executable, try git(["rev-parse", "HEAD"], in: root))
    }

    @Test func theRevisionIsTheOneTheExecutableWasBuiltIn() throws {
        let (root, executable, commit) = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: root) }
        let revision = try #require(GitRevision.ofExecutable(executable.path))
        #expect(revision.commit == commit)
        #expect(!revision.dirty)

        try "// changed\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        #expect(GitRevision.ofExecutable(executable.path)?.dirty == true)
    }

    /// Through a link (`.build/release` is one) the real path decides.
    @Test func aLinkedExecutableFindsItsCheckout() throws {
        let (root, executable, commit) = try Self.checkout()
        defer { try? FileManager.default.removeItem(at: root) }
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-bench-link-\(UUID())")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: executable)
        defer { try? FileManager.default.removeItem(at: link) }
        #expect(GitRevision.ofExecutable(link.path)?.commit == commit)
    }

    /// A binary outside any package has no revision, whichever repository the run starts in.
    @Test func aBinaryOutsideAPackageHasNone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("git-revision-loose-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = folder.appendingPathComponent("jsa-bench")
        try "".write(to: executable, atomically: true, encoding: .utf8)
        #expect(GitRevision.ofExecutable(executable.path) == nil)
    }
}

import Foundation
import Testing

@testable import SystemIO

/// Copies of executables at paths of equal length, for starting processes to be compared alike.
struct LaunchCopiesTests {
    @Test func theCopiesLieAtPathsOfEqualLengthAndRun() throws {
        let short = "/bin/true"
        let long = "/usr/bin/env"
        let copies = try LaunchCopies([("base", short), ("head", long)])
        #expect(copies.paths.count == 2)
        #expect(copies.paths[0].count == copies.paths[1].count)
        #expect(copies.paths[0] != copies.paths[1])
        for (copy, original) in zip(copies.paths, [short, long]) {
            #expect(copy.hasSuffix("/" + LaunchCopies.fileName))
            #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: original))
            #expect(FileManager.default.isExecutableFile(atPath: copy))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: copy)) == nil)
        }
        let child = try ChildProcess(executable: copies.paths[0], arguments: [], input: .null)
        #expect(child.wait(timeout: 10) == .exited(0))
    }

    /// Two runs from executables at paths of different lengths get copies at paths of one length.
    @Test func theCopiesPathDoesNotFollowTheOriginals() throws {
        let one = try LaunchCopies([("run", "/bin/true")])
        let other = try LaunchCopies([("run", "/usr/bin/env")])
        #expect(one.paths[0].count == other.paths[0].count)
        #expect(one.paths[0] != other.paths[0])
    }

    @Test func aLinkIsCopiedAsTheProgramItLeadsTo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("launch-copies-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: "/bin/true")
        let copies = try LaunchCopies([("run", folder + "/link")])
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: copies.paths[0])) == nil)
        #expect(FileManager.default.contents(atPath: copies.paths[0]) == FileManager.default.contents(atPath: "/bin/true"))
    }

    @Test func aMissingExecutableIsAFailureThatNamesIt() {
        #expect {
            try LaunchCopies([("base", "/no/such/jsa-bench"), ("head", "/bin/true")])
        } throws: { error in
            (error as? LaunchCopies.Failure)?.description.contains("/no/such/jsa-bench") == true
        }
    }

    /// A folder whose owner no longer runs (a run killed outright) goes when the next copies are made
    /// beside it; a live owner's folder and names of another form stay.
    @Test func anAbandonedFolderGoesWithTheNextCopies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launch-copies-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ownName = LaunchCopies.folderPrefix + String(format: "%010d", getpid())
        let abandoned = directory + "/" + LaunchCopies.folderPrefix + "0999999999-abcdef"  // above any pid_max (2^22)
        let live = directory + "/" + ownName + "-ghijkl"
        let otherForm = directory + "/" + LaunchCopies.folderPrefix + "abcdef"
        for folder in [abandoned, live, otherForm] {
            try FileManager.default.createDirectory(atPath: folder + "/run", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: folder + "/run/" + LaunchCopies.fileName, contents: Data([1])))
        }
        let copies = try LaunchCopies([("run", "/bin/true")], in: directory)
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(FileManager.default.fileExists(atPath: otherForm))
        #expect(copies.paths[0].hasPrefix(directory + "/" + ownName + "-"))
        #expect(LaunchCopies.removeAbandoned(in: directory).isEmpty)
    }

    @Test func theFolderGoesWithTheValue() throws {
        var copies: LaunchCopies? = try LaunchCopies([("run", "/bin/true")])
        let folder = (try #require(copies).paths[0] as NSString).deletingLastPathComponent + "/.."
        #expect(FileManager.default.fileExists(atPath: folder))
        copies = nil
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

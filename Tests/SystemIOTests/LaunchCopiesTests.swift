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

    /// Where programs may not run from the folder asked for (a temporary folder mounted noexec), the
    /// copies go beside the first executable; where they may run from neither, a failure says so.
    @Test func aFolderProgramsMayNotRunFromIsPassedOver() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("launch-copies-\(UUID())").path
        let build = directory + "/build", noexec = directory + "/noexec"
        try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: noexec, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: build + "/program")
        let copies = try LaunchCopies([("run", build + "/program")], in: noexec, allowsExecution: { $0 != noexec })
        #expect(copies.paths[0].hasPrefix(build + "/" + LaunchCopies.folderPrefix))
        #expect(try FileManager.default.contentsOfDirectory(atPath: noexec).isEmpty)
        let child = try ChildProcess(executable: copies.paths[0], arguments: [], input: .null)
        #expect(child.wait(timeout: 10) == .exited(0))
        #expect {
            try LaunchCopies([("run", build + "/program")], in: noexec, allowsExecution: { _ in false })
        } throws: { error in
            let description = (error as? LaunchCopies.Failure)?.description ?? ""
            return description.contains(noexec) && description.contains("noexec") && description.contains("TMPDIR")
        }
    }

    /// `allowsExecution` reads what the mount table says of every mount point this process can see.
    @Test func whetherProgramsMayRunFollowsTheMountTable() throws {
        let table = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
        var options: [String: Bool] = [:]  // mount point → noexec; a later mount over it wins
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4, !fields[1].contains("\\") else { continue }  // no escaped names
            options[String(fields[1])] = fields[3].split(separator: ",").contains("noexec")
        }
        #expect(options["/"] != nil)
        for (point, noexec) in options where FileManager.default.isReadableFile(atPath: point) {
            #expect(LaunchCopies.allowsExecution(point) == !noexec, "\(point)")
        }
    }

    @Test func theFolderGoesWithTheValue() throws {
        var copies: LaunchCopies? = try LaunchCopies([("run", "/bin/true")])
        let folder = (try #require(copies).paths[0] as NSString).deletingLastPathComponent + "/.."
        #expect(FileManager.default.fileExists(atPath: folder))
        copies = nil
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

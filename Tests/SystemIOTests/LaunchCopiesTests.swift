import Foundation
import Testing

@testable import SystemIO

/// Copies of two executables at paths of equal length, for starting the two sides of a comparison alike.
struct LaunchCopiesTests {
    @Test func theCopiesLieAtPathsOfEqualLengthAndRun() throws {
        let short = "/bin/true"
        let long = "/usr/bin/env"
        let copies = try LaunchCopies(base: short, head: long)
        #expect(copies.base.count == copies.head.count)
        #expect(copies.base != copies.head)
        for (copy, original) in [(copies.base, short), (copies.head, long)] {
            #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: original))
            #expect(FileManager.default.isExecutableFile(atPath: copy))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: copy)) == nil)
        }
        let child = try ChildProcess(executable: copies.base, arguments: [], input: .null)
        #expect(child.wait(timeout: 10) == .exited(0))
    }

    @Test func aLinkIsCopiedAsTheProgramItLeadsTo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("launch-copies-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: "/bin/true")
        let copies = try LaunchCopies(base: folder + "/link", head: "/bin/true")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: copies.base)) == nil)
        #expect(FileManager.default.contents(atPath: copies.base) == FileManager.default.contents(atPath: "/bin/true"))
    }

    @Test func aMissingExecutableIsAFailureThatNamesIt() {
        #expect(throws: LaunchCopies.Failure.self) { try LaunchCopies(base: "/no/such/jsa-bench", head: "/bin/true") }
    }

    @Test func theFolderGoesWithTheValue() throws {
        var copies: LaunchCopies? = try LaunchCopies(base: "/bin/true", head: "/bin/true")
        let folder = (try #require(copies).base as NSString).deletingLastPathComponent + "/.."
        #expect(FileManager.default.fileExists(atPath: folder))
        copies = nil
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

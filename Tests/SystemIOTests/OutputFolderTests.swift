import Foundation
import SystemIO
import Testing

@Suite struct OutputFolderTests {
    @Test func aMissingFolderIsMadeWithItsParentsAndAnExistingOneKept() throws {
        let scratch = try ScratchFolder()
        let nested = scratch.path + "/a/b/c/"
        try OutputFolder.create(nested)
        #expect(fileType(scratch.path + "/a/b/c") == .typeDirectory)
        _ = FileManager.default.createFile(atPath: nested + "kept", contents: Data("x".utf8))
        try OutputFolder.create(nested)
        #expect(scratch.contents("a/b/c/kept") == "x")
    }

    @Test func aFileInTheWayIsRefusedAndLeftAlone() throws {
        let scratch = try ScratchFolder()
        let file = scratch.path + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let itself = #expect(throws: OutputPath.Refusal.self) { try OutputFolder.create(file) }
        #expect(itself?.description == "cannot write \(file): it is a regular file, not a folder")
        let below = #expect(throws: OutputPath.Refusal.self) { try OutputFolder.create(file + "/sub") }
        #expect(below?.reason == "\(file) is a regular file, not a folder")
        #expect(scratch.contents("file") == "x")
        #expect(throws: OutputPath.Refusal.self) { try OutputFolder.create("") }
    }

    /// Nothing is created under the system folders, also through a link (as root `mkdir` there
    /// would succeed on /dev).
    @Test(arguments: ["/dev/jsa-bench-\(UUID())", "/dev/null", "/proc/jsa-bench", "/sys/jsa-bench/x", "/dev"])
    func systemFoldersAreRefused(path: String) {
        let refusal = #expect(throws: OutputPath.Refusal.self) { try OutputFolder.create(path) }
        #expect(refusal?.reason.hasSuffix("; jsa-bench writes regular files only") == true)
        #expect(path == "/dev" || fileMode(path) != S_IFDIR)
    }

    @Test func aLinkIntoDevIsRefused() throws {
        let scratch = try ScratchFolder()
        let link = scratch.path + "/dev"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev")
        let name = "jsa-bench-\(UUID())"
        let refusal = #expect(throws: OutputPath.Refusal.self) { try OutputFolder.create(link + "/" + name) }
        #expect(refusal?.reason == "/dev/\(name) is under /dev; jsa-bench writes regular files only")
        #expect(fileMode("/dev/" + name) == nil)
    }
}

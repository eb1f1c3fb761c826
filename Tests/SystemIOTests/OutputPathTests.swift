import Foundation
import SystemIO
import Testing

/// A fresh folder for one test, removed at the end.
struct ScratchFolder: ~Copyable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("systemio-\(UUID())").path

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func contents(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The file type of `path` without following a final symbolic link.
func fileType(_ path: String) -> FileAttributeType? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
}

/// The `S_IFMT` bits of `path`'s mode, without following a final symbolic link (nil if absent).
func fileMode(_ path: String) -> mode_t? {
    var status = stat()
    return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
}

/// The device number of the null device, major 1 minor 3 (glibc's makedev is a macro).
let nullDeviceNumber = dev_t((1 << 8) | 3)

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesLeavingNoTemporaryFile() throws {
        let folder = try ScratchFolder()
        let path = folder.path + "/out.json"
        try AtomicFile.write(Data("one".utf8), to: path)
        try AtomicFile.write(Data("two".utf8), to: path)
        #expect(folder.contents("out.json") == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.json"])
    }

    @Test func aReplacedFileKeepsItsPermissions() throws {
        let folder = try ScratchFolder()
        let path = folder.path + "/out.json"
        try AtomicFile.write(Data("one".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try AtomicFile.write(Data("two".utf8), to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func unwritableDestinationsAreErrors() throws {
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.checkWritable("/nonexistent-folder/x.json") }
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.checkWritable(NSTemporaryDirectory()) }
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Data(), to: "/nonexistent-folder/x.json") }
        #expect(throws: Never.self) { try AtomicFile.checkWritable(NSTemporaryDirectory() + "/probe-\(UUID()).json") }
    }

    /// The write through a link to a results file replaces the target and keeps the link.
    @Test func aLinkToARegularFileIsFollowed() throws {
        let folder = try ScratchFolder()
        try AtomicFile.write(Data("old".utf8), to: folder.path + "/target.json")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.json", withDestinationPath: "target.json")
        try AtomicFile.write(Data("new".utf8), to: folder.path + "/link.json")
        #expect(fileType(folder.path + "/link.json") == .typeSymbolicLink)
        #expect(folder.contents("target.json") == "new")
    }
}

@Suite struct OutputPathTests {
    @Test(arguments: ["/dev/null", "/dev/full", "/proc/self/status", "/sys/kernel/notes", "/dev/shm/x.json", "/dev"])
    func systemFoldersAreRefused(path: String) {
        #expect(throws: OutputPath.Refusal.self) { try OutputPath(path) }
    }

    @Test func aLinkIntoDevIsRefusedAndTheDeviceLeftAlone() throws {
        let folder = try ScratchFolder()
        let link = folder.path + "/null.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let refusal = #expect(throws: OutputPath.Refusal.self) { try AtomicFile.write(Data("x".utf8), to: link) }
        #expect(refusal?.description == "cannot write \(link): /dev/null is under /dev; jsa-bench writes regular files only")
        #expect(fileType(link) == .typeSymbolicLink)
        #expect(fileType("/dev/null") == .typeCharacterSpecial)
    }

    /// A FIFO (anyone can make one) and, as root, a character device of its own: neither is replaced.
    @Test func nodesThatAreNotRegularFilesAreRefusedAndSurvive() throws {
        let folder = try ScratchFolder()
        let fifo = folder.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let refusal = #expect(throws: OutputPath.Refusal.self) { try AtomicFile.write(Data("x".utf8), to: fifo) }
        #expect(refusal?.reason == "it is a FIFO, not a regular file")
        #expect(fileMode(fifo) == S_IFIFO)
        if getuid() == 0 {
            let device = folder.path + "/null"
            #expect(mknod(device, S_IFCHR | 0o666, nullDeviceNumber) == 0)
            #expect(throws: OutputPath.Refusal.self) { try AtomicFile.write(Data("x".utf8), to: device) }
            #expect(throws: OutputPath.Refusal.self) { try AtomicFile.checkWritable(device) }
            #expect(fileType(device) == .typeCharacterSpecial)
        }
    }

    @Test func directoriesDanglingLinksAndEmptyPathsAreRefused() throws {
        let folder = try ScratchFolder()
        #expect((try? OutputPath(folder.path))?.destination == nil)
        #expect((try? OutputPath(folder.path + "/"))?.destination == nil)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/dangling", withDestinationPath: "missing/x")
        let dangling = #expect(throws: OutputPath.Refusal.self) { try OutputPath(folder.path + "/dangling") }
        #expect(dangling?.reason == "it is a symbolic link to nothing")
        #expect(throws: OutputPath.Refusal.self) { try OutputPath("") }
    }

    @Test func aNewNameInAnExistingFolderIsAccepted() throws {
        let folder = try ScratchFolder()
        let output = try OutputPath(folder.path + "/new.json")
        #expect(!output.exists)
        #expect(output.destination.hasSuffix("/new.json"))
        #expect(try OutputPath("relative-\(UUID()).json").folder == FileManager.default.currentDirectoryPath)
    }
}

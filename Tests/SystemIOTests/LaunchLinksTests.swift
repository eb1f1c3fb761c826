import Foundation
import Testing

@testable import SystemIO

/// Links of equal length to two executables, for starting the two sides of a comparison alike.
struct LaunchLinksTests {
    @Test func theLinksAreEqualInLengthAndLeadToTheirTargets() throws {
        let short = "/bin/true"
        let long = try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/env") ? "/usr/bin/env" : nil)
        let links = try LaunchLinks(base: short, head: long)
        #expect(links.base.count == links.head.count)
        #expect(links.base != links.head)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: links.base) == short)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: links.head) == long)
        #expect(FileManager.default.isExecutableFile(atPath: links.base) && FileManager.default.isExecutableFile(atPath: links.head))
    }

    @Test func aRelativeTargetIsResolvedAgainstTheCurrentFolder() throws {
        let links = try LaunchLinks(base: "Package.swift", head: "/bin/true")
        let expected = FileManager.default.currentDirectoryPath + "/Package.swift"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: links.base) == expected)
    }

    @Test func theFolderGoesWithTheValue() throws {
        var links: LaunchLinks? = try LaunchLinks(base: "/bin/true", head: "/bin/true")
        let folder = try #require(links).base.split(separator: "/").dropLast(2).joined(separator: "/")
        #expect(FileManager.default.fileExists(atPath: "/" + folder))
        links = nil
        #expect(!FileManager.default.fileExists(atPath: "/" + folder))
    }
}

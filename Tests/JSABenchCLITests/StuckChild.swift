import Foundation
import Testing

/// A stand-in for a child process jsa-bench waits on (the Python helper, valgrind) that does its
/// `prelude`, says it is there, and then never finishes (within the minute a test would wait):
/// for landing a Ctrl-C while jsa-bench waits on it.
struct StuckChild {
    let path: String
    private let readyFile: String
    private let pidFile: String

    init(named name: String, in folder: URL, prelude: String = "") throws {
        path = folder.appendingPathComponent(name).path
        readyFile = folder.appendingPathComponent("\(name).ready").path
        pidFile = folder.appendingPathComponent("\(name).pid").path
        try """
        #!/bin/sh
        echo $$ > \(pidFile)
        \(prelude)
        touch \(readyFile)
        exec sleep 60
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// Whether it has done its prelude and is now stuck.
    var isStuck: Bool { FileManager.default.fileExists(atPath: readyFile) }

    /// Whether the process is gone (terminated and reaped), as it must be once jsa-bench has exited.
    func isGone() throws -> Bool {
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Runs jsa-bench with `arguments`, interrupts it once the child is stuck, and checks what an
    /// interrupted run must leave: exit 130 well before the child would have ended, no failure
    /// named `failureMarkers` on stderr, `complete: false` with the native case of n = 1000, and
    /// no child left.
    func interruptRun(
        _ arguments: [String], environment: [String: String], out: String,
        failureMarkers: [String]
    ) throws {
        let started = Date()
        let result = try JSABenchProcess.run(arguments, environment: environment, interruptWhen: { _ in isStuck })
        #expect(Date().timeIntervalSince(started) < 30, "jsa-bench waited for \(path)")
        #expect(result.status == 130, "\(result.stderr)")
        #expect(failureMarkers.allSatisfy { !result.stderr.contains($0) }, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["complete"] as? Bool == false)
        #expect((json["cases"] as! [[String: Any]]).contains { $0["id"] as? String == "native/into/scalar/n=1000/p=30" })
        #expect(try isGone(), "\(path) outlived jsa-bench")
    }
}

import Foundation
import Testing
@testable import SystemIO

@Suite struct ChildProcessTests {
    @Test func runsToCompletionWithItsOutputStatusAndErrors() throws {
        let echo = try ChildProcess.run("/bin/echo", ["one", "two"])
        #expect(echo.termination == .exited(0) && echo.text == "one two\n")
        let failing = try ChildProcess.run("/bin/sh", ["-c", "echo first >&2; echo oops >&2; exit 3"])
        #expect(failing.termination == .exited(3))
        #expect(failing.standardError == "first\noops\n")
        let killed = try ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(killed.termination == .signalled(SIGKILL))
    }

    /// A child is said to be ended by the out-of-memory killer only when a SIGKILL its owner did
    /// not send ended it while the system's count of such kills grew.
    @Test func onlyAKillWhileTheOutOfMemoryKillerRanIsPutDownToMemory() throws {
        #expect(ChildProcess.killedForMemory(.signalled(SIGKILL), byOwner: false, killsAtStart: 3, killsAtEnd: 4))
        #expect(!ChildProcess.killedForMemory(.signalled(SIGKILL), byOwner: true, killsAtStart: 3, killsAtEnd: 4))
        #expect(!ChildProcess.killedForMemory(.signalled(SIGKILL), byOwner: false, killsAtStart: 3, killsAtEnd: 3))
        #expect(!ChildProcess.killedForMemory(.signalled(SIGSEGV), byOwner: false, killsAtStart: 3, killsAtEnd: 4))
        #expect(!ChildProcess.killedForMemory(.signalled(SIGKILL), byOwner: false, killsAtStart: nil, killsAtEnd: 4))
        #expect(
            ChildProcess.describe(.signalled(SIGKILL), killedForMemory: true)
                == "was killed by signal 9, by the kernel's out-of-memory killer: memory ran out")

        let killedItself = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "kill -9 $$"], input: .null)
        #expect(killedItself.wait() == .signalled(SIGKILL))
        #expect(!killedItself.killedForMemory && killedItself.ending == "was killed by signal 9")
        let exited = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "exit 3"], input: .null)
        exited.wait()
        #expect(exited.ending == "exited 3")
    }

    @Test func aMissingProgramCannotStart() {
        let failure = #expect(throws: ChildProcess.Failure.self) { try ChildProcess.run("/nonexistent/program", []) }
        #expect(failure?.kind == .cannotStart)
        #expect(failure?.description == "cannot run /nonexistent/program: No such file or directory")
    }

    /// A program file still open for writing (as one just written is, for a moment, in a child
    /// another thread is starting) runs once it is closed; one that stays open cannot start.
    @Test func aProgramFileOpenForWritingRunsOnceClosed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("busy-\(UUID())").path
        defer { unlink(path) }
        let script = "#!/bin/sh\necho ran\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0)
        #expect(script.withCString { write(descriptor, $0, strlen($0)) } == script.utf8.count)
        let stillBusy = #expect(throws: ChildProcess.Failure.self) { try ChildProcess.run(path, []) }
        #expect(stillBusy?.description == "cannot run \(path): Text file busy")
        let closer = Thread {
            usleep(50_000)
            close(descriptor)
        }
        closer.start()
        let ran = try ChildProcess.run(path, [])
        #expect(ran.termination == .exited(0) && ran.text == "ran\n")
    }

    /// A descriptor this process opened without `O_CLOEXEC` (as Foundation opens the files it
    /// writes) does not reach the child.
    @Test func aChildInheritsOnlyItsStandardDescriptors() throws {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor > 2)
        defer { close(descriptor) }
        let listing = try ChildProcess.run("/bin/sh", ["-c", "ls /proc/$$/fd"])
        let inherited = listing.text.split(separator: "\n").compactMap { Int32($0) }
        #expect(inherited.contains(2) && !inherited.contains(descriptor), "\(inherited)")
    }

    @Test func speaksALineProtocolUntilItsInputCloses() throws {
        let cat = try ChildProcess(executable: "/bin/cat", arguments: [])
        try cat.send("hello")
        #expect(try cat.readLine(timeout: 5) == "hello")
        try cat.send("again")
        #expect(try cat.readLine(timeout: 5) == "again")
        cat.closeInput()
        #expect(try cat.readLine(timeout: 5) == nil)
        #expect(cat.wait() == .exited(0))
        let gone = #expect(throws: ChildProcess.Failure.self) { try cat.send("late") }
        #expect(gone?.kind == .brokenPipe)
    }

    @Test func aSilentChildTimesOutAndIsTerminated() throws {
        let silent = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        let started = Date()
        let failure = #expect(throws: ChildProcess.Failure.self) { try silent.readLine(timeout: 0.3) }
        #expect(failure?.kind == .timedOut)
        #expect(silent.terminate() == .signalled(SIGTERM))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(!silent.isRunning)
    }

    @Test func aWaitThatIsToldToStopThrowsStopped() throws {
        let silent = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        var polls = 0
        let failure = #expect(throws: ChildProcess.Failure.self) {
            try silent.readLine(stoppingWhen: {
                polls += 1
                return polls > 2
            })
        }
        #expect(failure?.kind == .stopped)
    }

    @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let stubborn = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "trap '' TERM; echo ready; sleep 30"])
        #expect(try stubborn.readLine(timeout: 5) == "ready")
        #expect(stubborn.terminate(grace: 0.3) == .signalled(SIGKILL))
    }

    @Test func aReleasedChildIsEndedNotOrphaned() throws {
        var pid: pid_t = 0
        do {
            let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
            pid = child.pid
            #expect(kill(pid, 0) == 0)
        }
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func environmentChangesSetAndRemoveVariables() throws {
        setenv("JSA_CHILD_TEST_REMOVED", "1", 1)
        defer { unsetenv("JSA_CHILD_TEST_REMOVED") }
        let env = try ChildProcess.run("/usr/bin/env", [], environment: ["JSA_CHILD_TEST_SET": "yes", "JSA_CHILD_TEST_REMOVED": nil])
        #expect(env.text.contains("JSA_CHILD_TEST_SET=yes\n"))
        #expect(!env.text.contains("JSA_CHILD_TEST_REMOVED"))
    }

    /// The child leads its own process group, so a terminal's Ctrl-C (sent to the foreground group)
    /// does not reach it.
    @Test func theChildRunsInItsOwnProcessGroup() throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        #expect(getpgid(child.pid) == child.pid)
        #expect(getpgid(child.pid) != getpgrp())
    }
}

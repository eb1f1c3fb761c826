import Foundation
import SystemIO
import Testing

@Suite struct PipeReaderTests {
    @Test func linesArriveInPieces() throws {
        let pipe = Pipe()
        let reader = PipeReader(pipe.fileHandleForReading)
        try pipe.fileHandleForWriting.write(contentsOf: Data("one\ntw".utf8))
        #expect(reader.next() == "one")
        try pipe.fileHandleForWriting.write(contentsOf: Data("o\nlast".utf8))
        try pipe.fileHandleForWriting.close()
        #expect(reader.next() == "two")
        #expect(reader.next() == "last")
        #expect(reader.next() == nil)
    }

    /// A wait that is told to stop throws, and keeps what had arrived for the next read.
    @Test func aStoppedWaitKeepsWhatArrived() throws {
        let pipe = Pipe()
        let reader = PipeReader(pipe.fileHandleForReading)
        try pipe.fileHandleForWriting.write(contentsOf: Data("half".utf8))
        var polls = 0
        #expect(throws: PipeReader.Stopped.self) {
            try reader.next(stoppingWhen: {
                polls += 1
                return polls > 1
            })
        }
        try pipe.fileHandleForWriting.write(contentsOf: Data(" line\n".utf8))
        #expect(reader.next() == "half line")
    }

    /// Signals landing on the reading thread while it waits (as Ctrl-C does, with jsa-bench's
    /// handler installed without SA_RESTART) interrupt read(2); Foundation's readDataToEndOfFile()
    /// traps on that, the reader retries.
    @Test func readingToTheEndSurvivesInterruptions() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0  // no SA_RESTART: a blocked read(2) returns EINTR
        var previous = sigaction()
        sigaction(SIGUSR1, &action, &previous)
        defer { sigaction(SIGUSR1, &previous, nil) }
        // Test threads (libdispatch workers) block signals; let SIGUSR1 reach this one.
        var usr1 = sigset_t(), previousMask = sigset_t()
        sigemptyset(&usr1)
        sigaddset(&usr1, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &usr1, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

        let pipe = Pipe()
        let reader = PipeReader(pipe.fileHandleForReading)
        let readingThread = pthread_self()
        let writer = pipe.fileHandleForWriting
        let payload = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        let sender = Thread {
            for _ in 0..<40 {
                pthread_kill(readingThread, SIGUSR1)
                usleep(5_000)
            }
            try? writer.write(contentsOf: payload)
            try? writer.close()
        }
        sender.start()
        #expect(reader.readToEnd() == payload)
    }
}

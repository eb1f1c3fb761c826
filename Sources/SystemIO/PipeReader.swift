import Foundation

/// A child process's output pipe, read by lines as they arrive or to its end.
///
/// Waits with poll(2), waking at least every `pollIntervalMs` to ask whether to stop waiting, and
/// reads with read(2), retrying on EINTR: a Ctrl-C arriving while jsa-bench waits for a child
/// interrupts the wait, and Foundation's `FileHandle.availableData` and `readDataToEndOfFile()`
/// trap on that error instead of returning (found by interrupting a sweep during its Python
/// ladder, and again during its callgrind pass).
public final class PipeReader {
    /// Thrown when the stop condition turned true before the read was done; what had arrived
    /// stays buffered.
    public struct Stopped: Error {}

    public static let pollIntervalMs: Int32 = 100

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Reads `handle`'s file descriptor (the handle must stay open while this reader is used).
    public convenience init(_ handle: FileHandle) {
        self.init(descriptor: handle.fileDescriptor)
    }

    /// Reads `descriptor`, which its owner keeps open (and closes) itself.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line without its newline, or nil at end of file (or on a read error), however
    /// long it takes.
    public func next() -> String? {
        (try? next(stoppingWhen: { false })) ?? nil
    }

    /// The next line, as `next()`, unless `shouldStop` turns true first.
    /// - Throws: `Stopped` when `shouldStop` returns true while no complete line is buffered.
    public func next(stoppingWhen shouldStop: () -> Bool) throws(Stopped) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard try fill(stoppingWhen: shouldStop) else {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
        }
    }

    /// Everything left until end of file (or a read error), however long it takes.
    public func readToEnd() -> Data {
        (try? readToEnd(stoppingWhen: { false })) ?? Data()
    }

    /// Everything left until end of file, unless `shouldStop` turns true first.
    /// - Throws: `Stopped` when `shouldStop` returns true before end of file.
    public func readToEnd(stoppingWhen shouldStop: () -> Bool) throws(Stopped) -> Data {
        while try fill(stoppingWhen: shouldStop) {}
        defer { buffer.removeAll() }
        return Data(buffer)
    }

    /// Waits for bytes and appends them to `buffer`; false at end of file or on a read error.
    private func fill(stoppingWhen shouldStop: () -> Bool) throws(Stopped) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, Self.pollIntervalMs)
            if ready == 0 || (ready < 0 && errno == EINTR) {
                if shouldStop() { throw Stopped() }
                continue
            }
            guard ready > 0 else { return false }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
    }
}

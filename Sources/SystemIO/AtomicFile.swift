#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Writes files atomically — a temporary file in the destination's folder, then `rename(2)` — so a
/// reader never sees a half-written file and an existing file survives a failed write. Every
/// destination passes `OutputPath` first: only regular files are ever replaced.
public enum AtomicFile {
    public typealias WriteError = OutputPath.Refusal

    /// Writes `data` to `path`, creating nothing but the file itself. A replaced file keeps its
    /// permission bits.
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        let output = try OutputPath(path)
        let temporary = output.folder + "/.\(output.destination.split(separator: "/").last ?? "out").\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: OutputPath.errorText()) }
        var existing = stat()
        if output.exists, stat(output.destination, &existing) == 0 {
            fchmod(descriptor, existing.st_mode & 0o7777)
        }
        let failure = data.withUnsafeBytes { bytes in writeAll(descriptor, bytes) }
        let closed = close(descriptor) == 0
        if let failure = failure ?? (closed ? nil : OutputPath.errorText()) {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
        if rename(temporary, output.destination) != 0 {
            let reason = OutputPath.errorText()
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Checks, before any work, that a file can be created at `path` (see `OutputPath.checkWritable`).
    public static func checkWritable(_ path: String) throws(WriteError) {
        try OutputPath.checkWritable(path)
    }

    /// Writes every byte to `descriptor`, retrying interrupted and partial writes; the error's
    /// text, or nil when all were written.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return OutputPath.errorText()
            }
            offset += written
        }
        return nil
    }
}

/// write(2), under a name that the methods named `write` above do not shadow.
func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

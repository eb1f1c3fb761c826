#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Foundation

/// Reading an input file whole (a results file, a budgets or thresholds file, a noise floor),
/// with read(2): a character device such as /dev/null reads as empty (Foundation's
/// `contents(atPath:)` gave nil for it, which became "no such file"), a directory or an
/// unreadable file is its own error, and nothing larger than `maximumBytes` is read.
public enum InputFile {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missing(path: String)
        case unreadable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): no such file"
            case .unreadable(let path, let reason): return "\(path): \(reason)"
            }
        }
    }

    /// Input files larger than this (1 GiB) are refused rather than read into memory.
    public static let maximumBytes = 1 << 30

    /// The bytes of `path`: a regular file, or a character device that reads as empty at once
    /// (/dev/null). Anything else — a directory, a FIFO (whose open would wait for a writer), a
    /// device that never ends — is refused without blocking.
    public static func read(_ path: String) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFCHR:
            var probe: UInt8 = 0
            guard Glibc.read(descriptor, &probe, 1) == 0 else {
                throw .unreadable(path: path, reason: "is a character device with data, not a file")
            }
            return Data()
        case S_IFDIR:
            throw .unreadable(path: path, reason: "is a directory")
        default:
            throw .unreadable(path: path, reason: "is not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, 0)  // back to blocking reads for the file itself
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
            if data.count > maximumBytes {
                throw .unreadable(path: path, reason: "larger than \(maximumBytes >> 20) MiB")
            }
        }
    }

    /// The text of `path`, which must be UTF-8.
    public static func text(_ path: String) throws(Failure) -> String {
        guard let text = String(data: try read(path), encoding: .utf8) else {
            throw .unreadable(path: path, reason: "is not UTF-8 text")
        }
        return text
    }
}

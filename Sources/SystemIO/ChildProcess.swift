#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Foundation

/// A child process, started with posix_spawn(3): the one way jsa-bench runs another program
/// (its measuring workers, its Python helper, valgrind, git, python3).
///
/// - Its standard input is a pipe (`send`, `closeInput`) or /dev/null; its standard output a pipe
///   read by lines or to the end, with a time-out and a stop condition polled every 100 ms.
/// - Its standard error goes to an anonymous file (unlinked at once: nothing is left on disk,
///   whatever happens) whose last line explains a failure.
/// - It inherits no other descriptor of this process (where glibc can close them at the spawn),
///   and a program file still open for writing somewhere is tried again for a moment.
/// - It runs in its own process group, so a Ctrl-C in the terminal reaches jsa-bench alone, and
///   jsa-bench decides what stopping means; SIGINT, SIGTERM and SIGPIPE start at their defaults.
/// - It never outlives its owner's intent: `terminate()` sends SIGTERM, then SIGKILL after a grace
///   period, and reaps it; a `ChildProcess` released while the child runs does the same.
/// - How it ended (`ending`) names the kernel's out-of-memory killer where that ended it.
public final class ChildProcess {
    /// How a child ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): return "exited \(status)"
            case .signalled(let signal): return "was killed by signal \(signal)"
            }
        }
    }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public enum Kind: Sendable { case cannotStart, timedOut, stopped, brokenPipe }
        public let kind: Kind
        public let description: String
    }

    /// What the child's standard input is.
    public enum Input: Sendable { case pipe, null }

    /// How long a start refused because the program file is open for writing (ETXTBSY) is tried
    /// again, in seconds.
    static let busyFileWait = 1.0

    public let executable: String
    public let pid: pid_t
    private var input: Int32
    private let output: PipeReader
    private let outputDescriptor: Int32
    private let errors: Int32
    private var termination: Termination?
    /// The system's out-of-memory kills when the child started (`KernelMemory`).
    private let outOfMemoryKillsAtStart: Int?
    /// Whether `terminate()` sent SIGKILL.
    private var killedByOwner = false
    /// Whether the kernel's out-of-memory killer ended the child, as far as can be told: it was
    /// killed by a SIGKILL that `terminate()` did not send, and the system's count of such kills
    /// grew while it ran (the count is the whole system's, so a child killed by hand while
    /// another process was ended for memory reads the same). False until the child is reaped.
    public private(set) var killedForMemory = false

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`.
    ///
    /// - Parameter environment: variables to set (a value) or remove (nil) in the inherited environment.
    /// - Throws: `Failure.cannotStart` with the system's reason.
    public init(
        executable: String, arguments: [String], environment: [String: String?] = [:],
        input inputKind: Input = .pipe
    ) throws(Failure) {
        self.executable = executable
        // A child that has ended must give a write error here (`Failure.brokenPipe`), not a
        // SIGPIPE that ends jsa-bench without a word.
        signal(SIGPIPE, SIG_IGN)
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        let errorFile = Self.anonymousFile()
        guard errorFile >= 0, Self.closeOnExecPipe(&outputPipe), inputKind == .null || Self.closeOnExecPipe(&inputPipe) else {
            throw Failure(kind: .cannotStart, description: "cannot run \(executable): \(Self.errorText())")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if inputKind == .pipe {
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorFile, 2)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentStrings = Self.environment(changing: environment).map { strdup($0) } + [nil]
        defer { environmentStrings.forEach { free($0) } }
        var child: pid_t = 0
        var status: Int32 = 0
        // A program file that this process wrote a moment ago (a launch copy, a test's script) can
        // still be open for writing in a child another thread is starting, until that child's exec
        // closes it: Linux then refuses to run it (ETXTBSY). That lasts microseconds; try again
        // for up to `Self.busyFileWait` seconds before saying so.
        let busyDeadline = Self.now() + Self.busyFileWait
        outOfMemoryKillsAtStart = KernelMemory.outOfMemoryKills()
        repeat {
            status =
                executable.contains("/")
                ? posix_spawn(&child, executable, &actions, &attributes, argv, environmentStrings)
                : posix_spawnp(&child, executable, &actions, &attributes, argv, environmentStrings)
            if status == ETXTBSY { usleep(1_000) }
        } while status == ETXTBSY && Self.now() < busyDeadline
        close(outputPipe[1])
        if inputKind == .pipe { close(inputPipe[0]) }
        guard status == 0 else {
            close(outputPipe[0])
            close(errorFile)
            if inputKind == .pipe { close(inputPipe[1]) }
            throw Failure(kind: .cannotStart, description: "cannot run \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        input = inputKind == .pipe ? inputPipe[1] : -1
        outputDescriptor = outputPipe[0]
        output = PipeReader(descriptor: outputPipe[0])
        errors = errorFile
    }

    deinit {
        if termination == nil { terminate() }
        if input >= 0 { close(input) }
        close(outputDescriptor)
        close(errors)
    }

    // MARK: - Talking to it

    /// Writes `line` and a newline to the child's standard input.
    /// - Throws: `Failure.brokenPipe` when the child no longer reads (it ended).
    public func send(_ line: String) throws(Failure) {
        var text = line + "\n"
        let failure = input < 0 ? "no input pipe" : text.withUTF8 { AtomicFile.writeAll(input, UnsafeRawBufferPointer($0)) }
        if let failure {
            throw Failure(
                kind: .brokenPipe,
                description: "\(executable) stopped reading its input (\(failure))\(lastErrorLine.map { ": \($0)" } ?? "")")
        }
    }

    /// Closes the child's standard input: the protocol's way to tell a worker it is done.
    public func closeInput() {
        if input >= 0 {
            close(input)
            input = -1
        }
    }

    /// The next line of the child's standard output, nil at its end.
    /// - Parameters:
    ///   - timeout: seconds to wait at most (nil: no limit).
    ///   - shouldStop: polled while waiting; true ends the wait.
    /// - Throws: `Failure.timedOut` or `Failure.stopped`; what had arrived stays buffered.
    public func readLine(timeout: Double? = nil, stoppingWhen shouldStop: () -> Bool = { false }) throws(Failure) -> String? {
        let deadline = timeout.map { Self.now() + $0 }
        do {
            return try output.next(stoppingWhen: { shouldStop() || deadline.map { Self.now() > $0 } ?? false })
        } catch {
            throw stopFailure(deadline: deadline, waitingFor: "a line")
        }
    }

    /// All of the child's standard output until it closes it, as `readLine` waits.
    public func readToEnd(timeout: Double? = nil, stoppingWhen shouldStop: () -> Bool = { false }) throws(Failure) -> Data {
        let deadline = timeout.map { Self.now() + $0 }
        do {
            return try output.readToEnd(stoppingWhen: { shouldStop() || deadline.map { Self.now() > $0 } ?? false })
        } catch {
            throw stopFailure(deadline: deadline, waitingFor: "its output")
        }
    }

    private func stopFailure(deadline: Double?, waitingFor what: String) -> Failure {
        if let deadline, Self.now() > deadline {
            return Failure(kind: .timedOut, description: "\(executable) sent no \(what) in time")
        }
        return Failure(kind: .stopped, description: "stopped while waiting for \(executable)")
    }

    /// The last non-empty line the child wrote to its standard error, if any.
    public var lastErrorLine: String? {
        standardError.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init)
    }

    /// Everything the child wrote to its standard error so far.
    public var standardError: String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(errors, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Its end

    /// Waits for the child to end (however long it takes, or until `timeout` seconds passed).
    /// - Returns: how it ended, or nil when the time-out came first.
    @discardableResult
    public func wait(timeout: Double? = nil) -> Termination? {
        if let termination { return termination }
        let deadline = timeout.map { Self.now() + $0 }
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if result == pid {
                let ended = Self.decode(status)
                termination = ended
                killedForMemory = Self.killedForMemory(
                    ended, byOwner: killedByOwner, killsAtStart: outOfMemoryKillsAtStart, killsAtEnd: KernelMemory.outOfMemoryKills())
                return ended
            }
            if result < 0 && errno != EINTR {
                termination = .exited(-1)  // not our child any more: nothing left to wait for
                return termination
            }
            if let deadline {
                if Self.now() > deadline { return nil }
                usleep(10_000)
            }
        }
    }

    /// Ends the child: closes its input, sends SIGTERM, and after `grace` seconds SIGKILL; reaps it.
    @discardableResult
    public func terminate(grace: Double = 2) -> Termination {
        if let termination { return termination }
        closeInput()
        kill(pid, SIGTERM)
        if let ended = wait(timeout: grace) { return ended }
        killedByOwner = true
        kill(pid, SIGKILL)
        return wait()!
    }

    /// How the child ended, said for a person ("exited 3", "was killed by signal 9 …"), naming
    /// the out-of-memory killer where it ended the child (`killedForMemory`); nil while it runs.
    public var ending: String? {
        termination.map { Self.describe($0, killedForMemory: killedForMemory) }
    }

    static func describe(_ termination: Termination, killedForMemory: Bool) -> String {
        killedForMemory
            ? "\(termination), by the kernel's out-of-memory killer: memory ran out" : termination.description
    }

    /// Whether a child that ended as `termination` was ended by the out-of-memory killer: killed by
    /// SIGKILL, not by its owner, while the system's kill count (`KernelMemory.outOfMemoryKills`)
    /// went from `killsAtStart` up to `killsAtEnd`.
    static func killedForMemory(_ termination: Termination, byOwner: Bool, killsAtStart: Int?, killsAtEnd: Int?) -> Bool {
        guard termination == .signalled(SIGKILL), !byOwner, let killsAtStart, let killsAtEnd else { return false }
        return killsAtEnd > killsAtStart
    }

    /// Whether the child is still running (not yet reaped).
    public var isRunning: Bool { wait(timeout: 0) == nil }

    // MARK: - Running to completion

    /// What a child that ran to its end produced.
    public struct Completion: Sendable {
        public let termination: Termination
        public let standardOutput: Data
        public let standardError: String
        public var text: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    /// Runs `executable` with no input until it ends, collecting its output.
    /// - Throws: `Failure` when it cannot start, outlasts `timeout`, or `shouldStop` turns true
    ///   (it is then terminated).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:],
        timeout: Double? = nil, stoppingWhen shouldStop: () -> Bool = { false }
    ) throws(Failure) -> Completion {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, input: .null)
        let output: Data
        do {
            output = try child.readToEnd(timeout: timeout, stoppingWhen: shouldStop)
        } catch {
            child.terminate()
            throw error
        }
        return Completion(termination: child.wait()!, standardOutput: output, standardError: child.standardError)
    }

    // MARK: - Helpers

    static func decode(_ status: Int32) -> Termination {
        status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }

    /// A file for the child's standard error that has no name: O_TMPFILE where the file system
    /// has it, else a named file unlinked at once.
    static func anonymousFile() -> Int32 {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let unnamed = open(folder, O_RDWR | O_CLOEXEC | 0o20200000 /* O_TMPFILE */, 0o600)
        if unnamed >= 0 { return unnamed }
        var template = Array("\(folder)/jsa-bench-child-XXXXXX".utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if named >= 0 {
            _ = fcntl(named, F_SETFD, FD_CLOEXEC)
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        return named
    }

    /// pipe(2) with both ends closed on exec (only the spawn's dup2 hands one to the child).
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; its header declares it
    /// only for `_GNU_SOURCE`), nil where the C library has none. With it a child inherits no
    /// descriptor but its standard three: Foundation opens the files it writes without
    /// `O_CLOEXEC`, and a child started while one is open would keep it open for its whole life
    /// (a program file so held cannot run: ETXTBSY).
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(
            symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    static func closeOnExecPipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    static func environment(changing changes: [String: String?]) -> [String] {
        var variables: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = String(text.prefix { $0 != "=" })
            if changes[name] == nil { variables.append(text) }
            pointer += 1
        }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            if let value { variables.append("\(name)=\(value)") }
        }
        return variables
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

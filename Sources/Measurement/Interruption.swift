import CMeasurement

/// Ctrl-C (SIGINT) and SIGTERM as a request to stop measuring: the first one sets a flag that the
/// sampler checks between samples, so what was measured is kept and written and child processes
/// are ended; a second signal of the same kind kills as usual.
public enum Interruption {
    /// Installs the handlers (idempotent).
    public static func install() {
        mx_install_interrupt_flag()
    }

    /// Whether SIGINT or SIGTERM arrived since `install()`.
    public static var requested: Bool {
        mx_interrupt_requested() != 0
    }

    /// The exit status that tells which signal stopped the run: 128 + its number (130 for
    /// SIGINT, 143 for SIGTERM), nil when none arrived.
    public static var exitStatus: Int32? {
        let signal = mx_interrupt_signal()
        return signal == 0 ? nil : 128 + signal
    }
}

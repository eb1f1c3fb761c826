import CMeasurement

/// Ctrl-C as a request to stop measuring: the first SIGINT sets a flag that the sampler checks
/// between samples, so what was measured is kept and written; a second SIGINT kills as usual.
public enum Interruption {
    /// Installs the SIGINT handler (idempotent).
    public static func install() {
        mx_install_interrupt_flag()
    }

    /// Whether SIGINT arrived since `install()`.
    public static var requested: Bool {
        mx_interrupt_requested() != 0
    }
}

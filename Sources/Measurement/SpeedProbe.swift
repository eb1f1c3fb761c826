import CMeasurement

/// The speed probe: fixed work timed before every sample (`InterleavedSampler`), whose duration —
/// the speed index — tells how fast the core ran at that moment.
///
/// It is an L1-resident scalar stencil of 3 × 1023 element steps in C (`speed_probe.c`), frozen:
/// not the JSA kernels, whose changes it must not cancel. Throughput-bound on purpose: on shared
/// hosts the slow level is other work competing for the core, which a latency-bound chain hardly
/// feels (see speed_probe.c for what was measured).
public enum SpeedProbe {
    /// Runs the probe once.
    public static func run() {
        mx_speed_probe()
    }
}

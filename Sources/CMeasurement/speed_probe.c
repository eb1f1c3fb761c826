/* The speed probe: a fixed piece of work timed beside every sample, so that the analysis can tell
 * how fast the core was running at that moment (the speed index).
 *
 * On the shared hosts this project runs on, a core's speed jumps between levels 1.6-2x apart, each
 * vCPU on its own and mostly for tens of milliseconds (scripts/host-speed), and a dependent chain
 * of floating-point adds hardly notices (+4% where JSA at n = 1000 took 2x): the slow level is the host's other work competing for the core's issue and
 * load/store bandwidth, not a lower clock. So the probe is throughput-bound work of the kind the
 * kernels do — an L1-resident scalar stencil, y[i] = (x[i] + x[i-1]) * 0.25 — and it is separate,
 * frozen code (not the JSA kernels, whose changes a probe must not cancel). Measured on an Intel
 * Xeon KVM guest over 60 s (2026-12-02): per-sample log times of scalar JSA at n = 1000 correlate
 * 0.92 with it (slope 1.03), AVX2 JSA 0.83 (slope 0.81), memcpy 0.77 (slope 0.61). */
#include "measurement_support.h"

enum { MX_PROBE_ELEMENTS = 1024, MX_PROBE_PASSES = 3 };

static double mx_probe_input[MX_PROBE_ELEMENTS];
static double mx_probe_output[MX_PROBE_ELEMENTS];

#if defined(__clang__)
#define MX_SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")
#define MX_SCALAR_FUNCTION
#else
#define MX_SCALAR_LOOP
#define MX_SCALAR_FUNCTION __attribute__((optimize("no-tree-vectorize", "no-unroll-loops")))
#endif

__attribute__((noinline)) MX_SCALAR_FUNCTION
void mx_speed_probe(void) {
    static int initialized = 0;
    if (!initialized) {
        for (int i = 0; i < MX_PROBE_ELEMENTS; ++i) mx_probe_input[i] = (double)(i % 97) * 0.125;
        mx_escape(mx_probe_input);
        initialized = 1;
    }
    for (int pass = 0; pass < MX_PROBE_PASSES; ++pass) {
        MX_SCALAR_LOOP
        for (int i = 1; i < MX_PROBE_ELEMENTS; ++i) {
            mx_probe_output[i] = (mx_probe_input[i] + mx_probe_input[i - 1]) * 0.25;
        }
        mx_escape(mx_probe_output);  /* the stores are observed: the loop is not dead code */
    }
}

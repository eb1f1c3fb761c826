/* How the host's speed moves, CPU by CPU: times the sweep's own speed probe (mx_speed_probe,
 * Sources/CMeasurement/speed_probe.c) on every CPU this process may use, in turn, every
 * INTERVAL_MS for SECONDS, and prints one line per step: the seconds since the start and, per CPU,
 * the best of five probe calls in ns (after three warm calls on that CPU). Built and summarized by
 * scripts/host-speed with the probe and Sources/CMeasurement/affinity.c.
 *
 * What it answers: whether the CPUs slow down together (one host-wide state) or each on its own,
 * how long a slow stretch lasts (the series' autocorrelation by lag), and whether the fast floor
 * itself moves (low percentiles over successive blocks). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "measurement_support.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The best of five probe calls on `cpu`, in ns (pinned with mx_pin_to_cpu, as the gate's workers are). */
static double probe_on(int cpu) {
    if (mx_pin_to_cpu(cpu) != 0) {
        fprintf(stderr, "host-speed: cannot run on CPU %d\n", cpu);
        exit(70);
    }
    for (int warm = 0; warm < 3; ++warm) mx_speed_probe();
    double best = 1e18;
    for (int call = 0; call < 5; ++call) {
        const double start = now_ns();
        mx_speed_probe();
        const double elapsed = now_ns() - start;
        if (elapsed < best) best = elapsed;
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc != 3 || atof(argv[1]) <= 0 || atof(argv[2]) < 0) {
        fprintf(stderr, "usage: host-speed SECONDS INTERVAL_MS\n");
        return 64;
    }
    const double seconds = atof(argv[1]), interval_ms = atof(argv[2]);
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
        perror("host-speed: sched_getaffinity");
        return 70;
    }
    int cpus[CPU_SETSIZE], count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &allowed)) cpus[count++] = cpu;
    printf("# seconds");
    for (int i = 0; i < count; ++i) printf(" cpu%d", cpus[i]);
    printf("\n");
    const struct timespec pause = {(time_t)(interval_ms / 1000), (long)(interval_ms * 1e6) % 1000000000L};
    const double start = now_ns();
    while (now_ns() - start < seconds * 1e9) {
        printf("%.4f", (now_ns() - start) / 1e9);
        for (int i = 0; i < count; ++i) printf(" %.0f", probe_on(cpus[i]));
        printf("\n");
        nanosleep(&pause, NULL);
    }
    return 0;
}

/* Where streaming stores start to pay on this machine, for a call and for the code that reads its
 * output next: the kernel `auto` runs here, its row written with plain stores and with streaming
 * (non-temporal) ones, each alone and each followed by a reader that loads one double of every
 * cache line of the output (the least any consumer of the result loads), beside glibc's memcpy
 * of the same bytes. Built and run by scripts/streaming-crossover; read with docs/kernels.md,
 * "When the kernels stream".
 *
 * Arguments: n (doubles), rounds; JSA_DISABLE_CPU_FEATURES caps the kernel as in the package. The input lies on a page boundary, the output 2 KiB past one (no
 * 4K aliasing), both on 4 KiB pages (madvise MADV_NOHUGEPAGE), period 30. Rounds interleave the
 * five loops, so that the host's speed changes touch each alike; per loop the best round and the
 * median over rounds of its ratio to memcpy within the round (the sweep's convention). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "jsa_kernels.h"
#include "round_timing.h"

enum { loop_count = 5, max_rounds = 1000 };


/* One double of every 64-byte line of out[0, n): the least a reader of the output loads. */
static double read_every_line(const double *out, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i += 8) sum += out[i];
    return sum;
}

int main(int argc, char **argv) {
    const size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1048576;
    const int rounds = argc > 2 ? atoi(argv[2]) : 11;
    const size_t period = 30;
    if (n <= period || rounds < 1 || rounds > max_rounds) {
        fprintf(stderr, "streaming-crossover: n must exceed %zu and rounds lie in 1...%d, got %zu and %d\n", period,
                max_rounds, n, rounds);
        return 64;
    }
    /* The kernel `auto` runs here, under the cap of JSA_DISABLE_CPU_FEATURES as in the package. */
    const char *cap = getenv("JSA_DISABLE_CPU_FEATURES");
    uint32_t disabled = 0;
    size_t bad_offset, bad_length;
    if (cap && jsa_parse_feature_list(cap, &disabled, &bad_offset, &bad_length) != 0) {
        fprintf(stderr, "streaming-crossover: JSA_DISABLE_CPU_FEATURES names an unknown feature: '%.*s'\n", (int)bad_length,
                cap + bad_offset);
        return 64;
    }
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    const jsa_isa isa = jsa_auto_isa(&cpu, jsa_cpu_detect() & ~disabled);
    if (isa == JSA_ISA_SCALAR) {
        fprintf(stderr, "streaming-crossover: auto runs the scalar kernel here, which never streams\n");
        return 69;
    }
    const size_t bytes = (n * sizeof(double) + 2048 + 4095) / 4096 * 4096;
    double *x = map_base_pages(bytes), *out_mapping = map_base_pages(bytes);
    if (!x || !out_mapping) {
        fprintf(stderr, "streaming-crossover: cannot map two buffers of %zu MiB\n", bytes >> 20);
        return 71;
    }
    double *out = (double *)((char *)out_mapping + 2048);
    for (size_t i = 0; i < n; ++i) x[i] = (double)(i % 1000) * 0.37;
    memset(out, 0, n * sizeof(double));

    const char *names[loop_count] = {"memcpy", "plain", "streamed", "plain, then read", "streamed, then read"};
    const size_t default_threshold = jsa_streaming_threshold();
    const int calls = n <= 1000000 ? 10 : 3;
    static double per_round[loop_count][max_rounds];
    volatile double sink = 0;
    for (int round = 0; round < rounds; ++round) {
        for (int k = 0; k < loop_count; ++k) {
            const int streamed = k == 2 || k == 4;
            jsa_set_streaming_threshold(streamed ? 0 : SIZE_MAX);
            const double start = now_ns();
            for (int c = 0; c < calls; ++c) {
                if (k == 0) memcpy(out, x, n * sizeof(double));
                if (k >= 1 && k <= 4) jsa_row(isa, x, n, 0, period, out);
                if (k >= 3) sink += read_every_line(out, n);
                __asm__ volatile("" : : "r"(out) : "memory");
            }
            per_round[k][round] = (now_ns() - start) / calls;
        }
    }
    jsa_set_streaming_threshold(default_threshold);
    (void)sink;

    printf("streaming-crossover: n = %zu (output %.1f MiB), period %zu, kernel %s, %d interleaved rounds of %d calls; "
           "this machine streams from outputs of %zu bytes\n",
           n, (double)(n * sizeof(double)) / (1 << 20), period, isa == JSA_ISA_AVX512 ? "avx512" : "avx2", rounds, calls, default_threshold);
    printf("%-20s %12s %8s %8s\n", "loop", "best us", "best x", "round x");
    double ratios[max_rounds], best[loop_count];
    for (int k = 0; k < loop_count; ++k) {
        best[k] = per_round[k][0];
        for (int round = 1; round < rounds; ++round) best[k] = per_round[k][round] < best[k] ? per_round[k][round] : best[k];
    }
    for (int k = 0; k < loop_count; ++k) {
        for (int round = 0; round < rounds; ++round) ratios[round] = per_round[k][round] / per_round[0][round];
        printf("%-20s %12.1f %8.2f %8.2f\n", names[k], best[k] / 1e3, best[k] / best[0], median(ratios, rounds));
    }
    for (int round = 0; round < rounds; ++round) ratios[round] = per_round[2][round] / per_round[1][round];
    const double alone = median(ratios, rounds);
    for (int round = 0; round < rounds; ++round) ratios[round] = per_round[4][round] / per_round[3][round];
    printf("streamed over plain, median over rounds: the call %.3f, the call and its reader %.3f\n", alone,
           median(ratios, rounds));
    return 0;
}

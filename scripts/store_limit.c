/* What limits direct-write JSA at L1 on this core, measured against memcpy in one process:
 * loops that differ from a copy in one thing each (an arithmetic operation; a second load
 * stream; narrower stores), beside the JSA kernels. Built and run by scripts/store-limit.
 *
 * Every loop reads and writes n doubles from 64-byte aligned buffers 2 KiB apart in their pages
 * (no 4K aliasing between a load and a recent store) — or, given an input offset (argument 4, bytes,
 * a multiple of 8 below 64), with the input that far past a line while the output stays on one, as
 * NumPy arrays at any 16 bytes leave them; then only memcpy, the string copy and the kernels' rows
 * run (the other loops load whole aligned vectors). Rounds interleave the loops, so that the
 * host's speed changes between rounds touch every loop alike (the ratios are what to read, not
 * the nanoseconds). Two ratios to memcpy per loop: of the best rounds (each loop's fastest round,
 * where the host was at its fastest) and the median over rounds of the ratio within the round
 * (the sweep's convention, `fraction_of_memcpy`: every state of the host weighted by its share). */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "jsa_kernels.h"
#include "round_timing.h"

#pragma STDC FP_CONTRACT OFF
#define AVX2 __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx512f")))

typedef void (*loop_fn)(const double *x, size_t n, size_t period, double *out);

static void libc_memcpy(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    memcpy(out, x, n * sizeof(double));
}
/* The string copy: what glibc's memcpy itself runs for sizes between its rep_movsb_threshold and
 * rep_movsb_stop_threshold (`ld.so --list-diagnostics`; on an AMD EPYC Zen 5 guest 2112 bytes and
 * 1 MiB), where it can beat any loop of vector stores, and at L1 lose to one. */
static void rep_movsb(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    size_t count = n * sizeof(double);
    void *destination = out;
    const void *source = x;
    __asm__ volatile("rep movsb" : "+D"(destination), "+S"(source), "+c"(count) : : "memory");
}
AVX2 static void copy256(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    for (size_t i = 0; i + 4 <= n; i += 4) _mm256_store_pd(out + i, _mm256_load_pd(x + i));
}
AVX2 static void scale256(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    const __m256d half = _mm256_set1_pd(0.5);
    for (size_t i = 0; i + 4 <= n; i += 4) _mm256_store_pd(out + i, _mm256_mul_pd(_mm256_load_pd(x + i), half));
}
/* Two aligned load streams (the lag rounded to whole vectors, so no load splits), add, multiply, store;
 * four vectors per iteration, as the kernels run, so that the loop's own instructions do not bound it
 * (one vector per iteration ran at 1.76-1.82x memcpy on a Zen 4 guest, 2026-12-04). */
AVX2 static void add2streams256(const double *x, size_t n, size_t period, double *out) {
    const size_t lag = (period + 3) / 4 * 4;
    const __m256d half = _mm256_set1_pd(0.5);
#define JSA_STREAM_STEP(k) \
    _mm256_store_pd(out + i + (k), _mm256_mul_pd(_mm256_add_pd(_mm256_load_pd(x + i + (k)), _mm256_load_pd(x + i + (k) - lag)), half))
    size_t i = lag;
    for (; i + 16 <= n; i += 16) {
        JSA_STREAM_STEP(0);
        JSA_STREAM_STEP(4);
        JSA_STREAM_STEP(8);
        JSA_STREAM_STEP(12);
    }
    for (; i + 4 <= n; i += 4) JSA_STREAM_STEP(0);
#undef JSA_STREAM_STEP
}
AVX512 static void copy512(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    for (size_t i = 0; i + 8 <= n; i += 8) _mm512_store_pd(out + i, _mm512_load_pd(x + i));
}
AVX512 static void scale512(const double *x, size_t n, size_t period, double *out) {
    (void)period;
    const __m512d half = _mm512_set1_pd(0.5);
    for (size_t i = 0; i + 8 <= n; i += 8) _mm512_store_pd(out + i, _mm512_mul_pd(_mm512_load_pd(x + i), half));
}
/* Two aligned load streams (the lag rounded to whole lines, so no load splits), one add, one store. */
AVX512 static void add2streams512(const double *x, size_t n, size_t period, double *out) {
    const size_t lag = (period + 7) / 8 * 8;
    for (size_t i = lag; i + 8 <= n; i += 8) _mm512_store_pd(out + i, _mm512_add_pd(_mm512_load_pd(x + i), _mm512_load_pd(x + i - lag)));
}
static void jsa_avx2(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_SPLIT_LOADS, x, n, 0, period, out);
}
static void jsa_avx2_permute(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_LANE_PERMUTE, x, n, 0, period, out);
}
static void jsa_avx2_ring(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_LAG_RING, x, n, 0, period, out);
}
static void jsa_avx512_zmm(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_ZMM_MIXED, x, n, 0, period, out);
}
static void jsa_avx512_ymm(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_YMM_ALIGNR, x, n, 0, period, out);
}
static void jsa_avx512_zmm_permute(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_ZMM_PERMUTE, x, n, 0, period, out);
}
static void jsa_avx512_ymm_ring(const double *x, size_t n, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_YMM_RING, x, n, 0, period, out);
}


int main(int argc, char **argv) {
    const size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    const size_t period = argc > 2 ? strtoul(argv[2], NULL, 10) : 30;
    const int rounds = argc > 3 ? atoi(argv[3]) : 60;
    const size_t input_offset = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
    if (input_offset % sizeof(double) != 0 || input_offset >= 64) {
        fprintf(stderr, "store-limit: the input offset must be a multiple of 8 bytes below 64, got %zu\n", input_offset);
        return 64;
    }
    const int aligned = input_offset == 0; /* the loops of whole aligned vectors can run */
    const uint32_t features = jsa_cpu_detect();
    const int avx2 = (features & JSA_FEATURE_AVX2) != 0, avx512 = (features & JSA_FEATURE_AVX512F) != 0;
    const int avx512vl = jsa_avx512vl_detected();
    const struct { const char *name, *what; loop_fn fn; int runs; } loops[] = {
        {"memcpy", "glibc's copy: 1 load stream, 1 store stream (the limit)", libc_memcpy, 1},
        {"rep movsb", "the string copy (glibc's memcpy between its rep_movsb thresholds)", rep_movsb, 1},
        {"copy512", "512-bit aligned load, store", copy512, avx512 && aligned},
        {"scale512", "512-bit load, multiply, store: one arithmetic op per vector", scale512, avx512 && aligned},
        {"add2streams512", "two 512-bit load streams (aligned), add, store: JSA's memory traffic", add2streams512, avx512 && aligned},
        {"copy256", "256-bit aligned load, store: the store limit of 32-byte stores", copy256, avx2 && aligned},
        {"scale256", "256-bit load, multiply, store", scale256, avx2 && aligned},
        {"add2streams256", "two 256-bit load streams (aligned), add, multiply, store: the AVX2 kernel's floor", add2streams256, avx2 && aligned},
        {"jsa avx512 zmm", "the AVX-512 kernel's 512-bit variant (zmm-mixed), whole row (head, peel, tail, call)", jsa_avx512_zmm, avx512},
        {"jsa avx512 ymm", "the AVX-512 kernel's 256-bit variant (ymm-alignr, AVX-512VL), whole row", jsa_avx512_ymm, avx512vl},
        {"jsa avx512 zmmp", "the AVX-512 kernel's zmm-permute variant (zmm-mixed within the L1d, every lagged vector permuted beyond, ymm-alignr's loop in its 256-bit window, an input off its line permuted too), whole row", jsa_avx512_zmm_permute, avx512},
        {"jsa avx512 ring", "the AVX-512 kernel's ymm-ring variant (AVX-512VL): lag-ring's row below jsa_ymm_ring_below() at periods 9-48, ymm-alignr's beyond, whole row", jsa_avx512_ymm_ring, avx512vl},
        {"jsa avx2 split", "the AVX2 kernel's split-loads variant, whole row", jsa_avx2, avx2},
        {"jsa avx2 perm", "the AVX2 kernel's lane-permute variant, whole row (vperm2f128 where the lag is 2 into a block)", jsa_avx2_permute, avx2},
        {"jsa avx2 ring", "the AVX2 kernel's lag-ring variant, whole row (input blocks in a ring of registers at periods 4q - 2, 3 <= q <= 12)", jsa_avx2_ring, avx2},
    };
    const int count = (int)(sizeof loops / sizeof loops[0]);
    const size_t bytes = (n * sizeof(double) + 4095) / 4096 * 4096;
    char *memory = aligned_alloc(4096, 2 * bytes + 4096 + 2048);
    double *x = (double *)(memory + input_offset), *out = (double *)(memory + bytes + 4096 + 2048);
    for (size_t i = 0; i < n; ++i) x[i] = (double)(i % 1000) * 0.37;
    const int calls = n <= 4096 ? 1000 : n <= 65536 ? 100 : 10;
    double best[16];
    double *per_round = malloc(sizeof(double) * (size_t)(count * rounds)); /* [loop * rounds + round] */
    for (int k = 0; k < count; ++k) best[k] = 1e300;
    for (int round = 0; round < rounds; ++round) {
        for (int k = 0; k < count; ++k) {
            if (!loops[k].runs) continue;
            const double start = now_ns();
            for (int c = 0; c < calls; ++c) {
                loops[k].fn(x, n, period, out);
                __asm__ volatile("" : : "r"(out) : "memory");
            }
            const double per_call = (now_ns() - start) / calls;
            if (per_call < best[k]) best[k] = per_call;
            per_round[k * rounds + round] = per_call;
        }
    }
    printf("store-limit: n = %zu doubles (%zu KiB read per stream), period %zu, %d interleaved rounds of %d calls%s\n",
           n, n * sizeof(double) / 1024, period, rounds, calls, aligned ? "" : ", the input off its line");
    if (!aligned) printf("input %zu bytes past a 64-byte line, output on one\n", input_offset);
    printf("%-16s %10s %9s %9s  %s\n", "loop", "best ns", "best x", "round x", "what it is (best x: best round over memcpy's "
           "best; round x: median over rounds of the ratio within the round)");
    double *ratios = malloc(sizeof(double) * (size_t)rounds);
    for (int k = 0; k < count; ++k) {
        if (!loops[k].runs) {
            printf("%-16s %10s %9s %9s  %s (%s)\n", loops[k].name, "-", "-", "-", loops[k].what,
                   aligned ? "not on this CPU" : "not run: it loads whole aligned vectors, or not on this CPU");
            continue;
        }
        for (int round = 0; round < rounds; ++round) ratios[round] = per_round[k * rounds + round] / per_round[round];
        printf("%-16s %10.1f %9.2f %9.2f  %s\n", loops[k].name, best[k], best[k] / best[0], median(ratios, rounds), loops[k].what);
    }
    free(ratios);
    free(per_round);
    free(memory);
    return 0;
}

/* Every kernel and variant this CPU runs, on heap buffers of exactly the row's size, under
 * AddressSanitizer (scripts/check-bounds builds it so): a read or write outside a buffer aborts with
 * ASan's report, and every output is compared with the scalar kernel's, bit for bit. Lengths 1-199,
 * every period, first non-NaN index 0-11, the input at 8 offsets of a double from its allocation and
 * the output at 2, single rows and a three-row batch; the same rows streamed (first 0), and streamed rows
 * around whole groups of 2 and 4 interleaved stretches of 4 KiB; and rows just beyond
 * JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH. The placement tests (Swift) cover alignments
 * with room around the buffers; this covers what lies just past their ends, which only a sanitizer
 * sees (a vector load that stays inside one aligned block cannot fault). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsa_kernels.h"

typedef void (*row_fn)(const double *x, size_t len, size_t first, size_t period, double *out);

static void row_avx2(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_SPLIT_LOADS, x, len, first, period, out);
}
static void row_avx2_permute(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_LANE_PERMUTE, x, len, first, period, out);
}
static void row_avx2_lag_ring(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx2(JSA_AVX2_LAG_RING, x, len, first, period, out);
}
static void row_zmm(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_ZMM_MIXED, x, len, first, period, out);
}
static void row_ymm(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_YMM_ALIGNR, x, len, first, period, out);
}
static void row_zmm_permute(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_ZMM_PERMUTE, x, len, first, period, out);
}
static void row_ymm_ring(const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_row_variant_avx512(JSA_AVX512_YMM_RING, x, len, first, period, out);
}

/* One row on buffers of exactly `len` doubles, `in_offset` and `out_offset` doubles into their
 * allocations; 1 when the output differs from the scalar kernel's (the first five are printed). */
static int check_row(const char *name, row_fn fn, size_t len, size_t period, size_t first, int in_offset, int out_offset) {
    static int printed = 0;
    double *in_raw = malloc((len + (size_t)in_offset) * sizeof(double));
    double *out_raw = malloc((len + (size_t)out_offset) * sizeof(double));
    double *expected = malloc(len * sizeof(double));
    double *x = in_raw + in_offset, *out = out_raw + out_offset;
    for (size_t i = 0; i < len; ++i) x[i] = i < first ? NAN : (double)(i * 7919 % 1000) * 0.37 - 100;
    jsa_row_scalar(x, len, first, period, expected);
    fn(x, len, first, period, out);
    const int differs = memcmp(out, expected, len * sizeof(double)) != 0;
    if (differs && printed++ < 5) {
        printf("check-bounds: %s differs from scalar: len %zu period %zu first %zu offsets %d, %d\n", name, len, period, first,
               in_offset, out_offset);
    }
    free(in_raw);
    free(out_raw);
    free(expected);
    return differs;
}

int main(void) {
    const uint32_t features = jsa_cpu_detect();
    const struct { const char *name; row_fn fn; int runs; jsa_isa isa; } kernels[] = {
        {"avx2 split-loads", row_avx2, (features & JSA_FEATURE_AVX2) != 0, JSA_ISA_AVX2},
        {"avx2 lane-permute", row_avx2_permute, (features & JSA_FEATURE_AVX2) != 0, JSA_ISA_AVX2},
        {"avx2 lag-ring", row_avx2_lag_ring, (features & JSA_FEATURE_AVX2) != 0, JSA_ISA_AVX2},
        {"avx512 zmm-mixed", row_zmm, (features & JSA_FEATURE_AVX512F) != 0, JSA_ISA_AVX512},
        {"avx512 ymm-alignr", row_ymm, jsa_avx512vl_detected(), JSA_ISA_AVX512},
        /* Its every-permute loop in the long rows below (beyond jsa_permute_threshold). */
        {"avx512 zmm-permute", row_zmm_permute, (features & JSA_FEATURE_AVX512F) != 0, JSA_ISA_AVX512},
        /* lag-ring's row below jsa_ymm_ring_below() at periods 9-48, ymm-alignr's beyond (the rows
         * at the edge below). */
        {"avx512 ymm-ring", row_ymm_ring, jsa_avx512vl_detected(), JSA_ISA_AVX512},
    };
    long calls = 0, mismatches = 0;
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; ++k) {
        if (!kernels[k].runs) {
            printf("check-bounds: %s not on this CPU\n", kernels[k].name);
            continue;
        }
        for (size_t len = 1; len < 200; ++len) {
            for (size_t period = 1; period <= len; ++period) {
                for (size_t first = 0; first + period <= len && first < 12; ++first) {
                    for (int in_offset = 0; in_offset < 8; ++in_offset) {
                        for (int out_offset = 0; out_offset < 2; ++out_offset) {
                            mismatches += check_row(kernels[k].name, kernels[k].fn, len, period, first, in_offset, out_offset);
                            ++calls;
                        }
                    }
                }
            }
            /* Three rows of one batch, periods period_start..+2, into an output of exactly 3 rows. */
            if (len >= 3) {
                double *x = malloc(len * sizeof(double)), *out = malloc(3 * len * sizeof(double));
                for (size_t i = 0; i < len; ++i) x[i] = (double)i * 0.5;
                jsa_rows(kernels[k].isa, x, len, 0, 1, 1, 3, out);
                ++calls;
                free(x);
                free(out);
            }
        }
        /* Streamed rows (the threshold at 0: every row streams), first 0, every period. */
        const size_t threshold = jsa_streaming_threshold();
        jsa_set_streaming_threshold(0);
        for (size_t len = 1; len < 200; ++len) {
            for (size_t period = 1; period <= len; ++period) {
                for (int in_offset = 0; in_offset < 8; ++in_offset) {
                    for (int out_offset = 0; out_offset < 2; ++out_offset) {
                        mismatches += check_row(kernels[k].name, kernels[k].fn, len, period, 0, in_offset, out_offset);
                        ++calls;
                    }
                }
            }
        }
        /* Streamed rows in 2 and 4 interleaved stretches of 4 KiB (jsa_streaming_pages): lengths
         * around one and two whole groups, so that a group ends at the row's last element, one
         * before it and after it, and the rest runs in order. */
        const size_t pages = jsa_streaming_pages(), interleaved_from = jsa_interleaved_streaming_threshold();
        jsa_set_interleaved_streaming_threshold(0);
        for (size_t stretches = 2; stretches <= 4; stretches += 2) {
            jsa_set_streaming_pages(stretches);
            const size_t group = stretches * 512;
            static const size_t periods[] = {1, 5, 30, 64};
            for (size_t groups = 1; groups <= 2; ++groups) {
                for (size_t len = groups * group; len < groups * group + 80; ++len) {
                    for (size_t p = 0; p < sizeof periods / sizeof periods[0]; ++p) {
                        for (int in_offset = 0; in_offset < 8; ++in_offset) {
                            for (int out_offset = 0; out_offset < 2; ++out_offset) {
                                mismatches += check_row(kernels[k].name, kernels[k].fn, len, periods[p], 0, in_offset, out_offset);
                                ++calls;
                            }
                        }
                    }
                }
            }
        }
        jsa_set_streaming_pages(pages);
        jsa_set_interleaved_streaming_threshold(interleaved_from);
        jsa_set_streaming_threshold(threshold);
        /* Rows beyond JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH (ymm-alignr's other schedule), around
         * ymm-ring's edge (jsa_ymm_ring_below: lag-ring's row below, ymm-alignr's beyond) and, where
         * this CPU has one, at both edges of zmm-permute's 256-bit window (ymm-alignr's loop inside
         * it), with every tail length of a 32-element iteration and the periods around each block
         * offset. */
        static const size_t tails[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 31, 32, 33};
        static const size_t periods[] = {1, 2, 3, 4, 5, 7, 8, 29, 30, 31, 32, 64};
        const size_t window_start = jsa_ymm_window_start(), window_end = jsa_ymm_window_end();
        const int window_open = window_start != SIZE_MAX && window_end > window_start + 64 * sizeof(double);
        const size_t ring_below = jsa_ymm_ring_below();
        const size_t bases[] = {JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH, ring_below / 8 - 17, (window_start + 7) / 8,
                                window_end / 8 - 34};
        const int base_applies[] = {1, ring_below >= 64 * sizeof(double), window_open, window_open};
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; ++b) {
            if (!base_applies[b]) continue;
            for (size_t t = 0; t < sizeof tails / sizeof tails[0]; ++t) {
                for (size_t p = 0; p < sizeof periods / sizeof periods[0]; ++p) {
                    for (int in_offset = 0; in_offset < 4; ++in_offset) {
                        for (int out_offset = 0; out_offset < 2; ++out_offset) {
                            mismatches += check_row(kernels[k].name, kernels[k].fn, bases[b] + tails[t], periods[p], 0,
                                                    in_offset, out_offset);
                            ++calls;
                        }
                    }
                }
            }
        }
    }
    printf("check-bounds: %ld calls, %ld differ from scalar\n", calls, mismatches);
    return mismatches == 0 ? 0 : 1;
}

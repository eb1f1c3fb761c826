/* Private helpers shared by the kernel files of CJSAKernels. Not part of the public header. */
#ifndef JSA_INTERNAL_H
#define JSA_INTERNAL_H

#include "jsa_kernels.h"

#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* No fused multiply-add anywhere: every variant must round exactly like the scalar one. */
#pragma STDC FP_CONTRACT OFF

/*
 * JSA_SCALAR_LOOP goes before every loop that must stay scalar (the scalar kernel and the tails of
 * the SIMD kernels). clang vectorizes, interleaves and unrolls plain loops at -O2 — and an unrolled
 * body can then be packed by the SLP vectorizer — so all three are switched off per loop.
 * scripts/check-isa proves the result from the disassembly.
 *
 * GCC (which builds the Python extension for a python3 whose compiler is gcc) has no per-loop
 * pragma before GCC 14, so JSA_SCALAR_FUNCTION switches its vectorizers off per function.
 *
 * JSA_UNROLL_FULLY goes before a loop of a constant trip count whose body indexes an array of
 * vectors by the loop's counter (the lag-ring loop's ring): unrolled whole, every index is a
 * constant and the array lives in registers. GCC's bound is 64 iterations, above the longest body
 * (44 vectors, the odd periods' ring of 11 blocks): at 32, GCC 12 -O2 left the odd rings of 9 and
 * 11 blocks rolled, their ring on the stack (121-147 stack accesses per function, 6.3-7.5 KB of
 * code against 1.2-1.4 KB; every other function unchanged).
 *
 * JSA_IN_REGISTER(value) makes a vector live in a register from there under GCC. GCC 12 folded the
 * load of a block that two vpermt2pd use into the first and loaded it again for the second (the
 * instruction overwrites an operand): one more load per two vectors, on a core whose L1 loads bind
 * (AMD Zen 5 guest, 2026-12-05, scripts/store_limit.c built with gcc, n = 1000: the zmm-mixed row
 * 1.01x memcpy against clang's 0.86x; with the barrier 0.86-0.88x).
 */
#if defined(__clang__)
#define JSA_SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")
#define JSA_UNROLL_FULLY _Pragma("clang loop unroll(full)")
#define JSA_SCALAR_FUNCTION
#define JSA_IN_REGISTER(value) ((void)0)
#elif defined(__GNUC__)
#define JSA_SCALAR_LOOP
#define JSA_UNROLL_FULLY _Pragma("GCC unroll 64")
#define JSA_SCALAR_FUNCTION __attribute__((optimize("no-tree-vectorize", "no-tree-slp-vectorize")))
#define JSA_IN_REGISTER(value) __asm__("" : "+v"(value))
#else
#define JSA_SCALAR_LOOP
#define JSA_UNROLL_FULLY
#define JSA_SCALAR_FUNCTION
#define JSA_IN_REGISTER(value) ((void)0)
#endif

/* The value of a cached size setting (below) from what its `plus_one` holds once known (not 0). */
static inline size_t jsa_published_threshold(size_t stored) {
    return stored == SIZE_MAX ? SIZE_MAX : stored - 1;
}

/* A size setting the kernels read on every call, cached in `plus_one`: 0 until known, then the
 * value + 1 (so that 0 can be stored), or SIZE_MAX (a threshold that is never reached). Once known,
 * one relaxed load; before, `first` detects it and publishes it. */
static inline size_t jsa_cached_threshold(_Atomic size_t *plus_one, size_t (*first)(void)) {
    const size_t stored = atomic_load_explicit(plus_one, memory_order_relaxed);
    if (stored == 0) return first();
    return jsa_published_threshold(stored);
}

/* The streaming threshold (jsa_streaming_threshold), read on every SIMD call. */
extern _Atomic size_t jsa_threshold_plus_one;
size_t jsa_streaming_threshold_first(void);

static inline size_t jsa_streaming_threshold_inline(void) {
    return jsa_cached_threshold(&jsa_threshold_plus_one, jsa_streaming_threshold_first);
}

/* The stretches a streamed row interleaves (jsa_streaming_pages), read on every streamed row. */
extern _Atomic size_t jsa_streaming_pages_plus_one;
size_t jsa_streaming_pages_first(void);

static inline size_t jsa_streaming_pages_inline(void) {
    return jsa_cached_threshold(&jsa_streaming_pages_plus_one, jsa_streaming_pages_first);
}

/* The row length from which streamed rows interleave (jsa_interleaved_streaming_threshold), bytes. */
extern _Atomic size_t jsa_interleaved_threshold_plus_one;
size_t jsa_interleaved_streaming_threshold_first(void);

static inline size_t jsa_interleaved_streaming_threshold_inline(void) {
    return jsa_cached_threshold(&jsa_interleaved_threshold_plus_one, jsa_interleaved_streaming_threshold_first);
}

/* The size in bytes of this CPU's level-`level` data (or unified) cache, from Linux's sysfs
 * (cpu0's cache/index*: level, type, size), or SIZE_MAX when it cannot be read (cache_sizes.c). */
size_t jsa_data_cache_bytes(int level);

/* The permute threshold (jsa_permute_threshold), read on every long JSA_AVX512_ZMM_PERMUTE row. */
extern _Atomic size_t jsa_permute_threshold_plus_one;
size_t jsa_permute_threshold_first(void);

static inline size_t jsa_permute_threshold_inline(void) {
    return jsa_cached_threshold(&jsa_permute_threshold_plus_one, jsa_permute_threshold_first);
}

/* The output size from which JSA_AVX2_LAG_RING's rows outside its ring run lane permutes
 * (jsa_avx2_permute_from). */
extern _Atomic size_t jsa_avx2_permute_from_plus_one;
size_t jsa_avx2_permute_from_first(void);

static inline size_t jsa_avx2_permute_from_inline(void) {
    return jsa_cached_threshold(&jsa_avx2_permute_from_plus_one, jsa_avx2_permute_from_first);
}

/* The output size below which JSA_AVX2_LAG_RING's rows at periods of 4q with the input on its
 * block run the ring of input vectors (jsa_avx2_vector_ring_below). */
extern _Atomic size_t jsa_avx2_vector_ring_below_plus_one;
size_t jsa_avx2_vector_ring_below_first(void);

static inline size_t jsa_avx2_vector_ring_below_inline(void) {
    return jsa_cached_threshold(&jsa_avx2_vector_ring_below_plus_one, jsa_avx2_vector_ring_below_first);
}

/* The ring sizes of JSA_AVX2_LAG_RING, in 32-byte blocks (jsa_avx2.c says why from three): its
 * rings cover periods 4 * JSA_LAG_RING_MIN_BLOCKS - 3 to 4 * JSA_LAG_RING_MAX_BLOCKS (9-48). */
enum { JSA_LAG_RING_MIN_BLOCKS = 3, JSA_LAG_RING_MAX_BLOCKS = 12 };

/* `apply(size)` once per ring size, JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS: the ring
 * loops are one function (or switch case) each, and their dispatchers a case each. */
#define JSA_FOR_EACH_LAG_RING_SIZE(apply) \
    apply(3) apply(4) apply(5) apply(6) apply(7) apply(8) apply(9) apply(10) apply(11) apply(12)
_Static_assert(JSA_LAG_RING_MIN_BLOCKS == 3 && JSA_LAG_RING_MAX_BLOCKS == 12,
               "JSA_FOR_EACH_LAG_RING_SIZE lists the ring sizes");

/* Whether `period` is one at which JSA_AVX2_LAG_RING has a ring (for some placements of the
 * operands: the row decides the rest). */
static inline int jsa_avx2_ring_period(size_t period) {
    return period >= 4 * JSA_LAG_RING_MIN_BLOCKS - 3 && period <= 4 * JSA_LAG_RING_MAX_BLOCKS;
}

/* The output size below which JSA_AVX512_YMM_RING calls run JSA_AVX2_LAG_RING's row
 * (jsa_ymm_ring_below), read on every call of that variant. */
extern _Atomic size_t jsa_ymm_ring_below_plus_one;
size_t jsa_ymm_ring_below_first(void);

static inline size_t jsa_ymm_ring_below_inline(void) {
    return jsa_cached_threshold(&jsa_ymm_ring_below_plus_one, jsa_ymm_ring_below_first);
}

/* The output size below which JSA_AVX512_YMM_RING calls at odd periods run its valignq ring's row
 * (jsa_valignq_ring_below), read with the one above. */
extern _Atomic size_t jsa_valignq_ring_below_plus_one;
size_t jsa_valignq_ring_below_first(void);

/* JSA_AVX512_YMM_RING's valignq ring row (jsa_avx512_ring.c), for the avx512 kernel's entry points. */
int jsa_valignq_ring_row_avx512vl(const double *x, size_t len, size_t first, size_t period, double *out);

static inline size_t jsa_valignq_ring_below_inline(void) {
    return jsa_cached_threshold(&jsa_valignq_ring_below_plus_one, jsa_valignq_ring_below_first);
}

/* The 256-bit window of JSA_AVX512_ZMM_PERMUTE (jsa_ymm_window_start, jsa_ymm_window_end), read on
 * every call of that variant: a call whose output is in [start, end) runs the 256-bit loop. */
extern _Atomic size_t jsa_ymm_window_start_plus_one, jsa_ymm_window_end_plus_one;
size_t jsa_ymm_window_start_first(void);
size_t jsa_ymm_window_end_first(void);

static inline size_t jsa_ymm_window_start_inline(void) {
    return jsa_cached_threshold(&jsa_ymm_window_start_plus_one, jsa_ymm_window_start_first);
}

static inline size_t jsa_ymm_window_end_inline(void) {
    return jsa_cached_threshold(&jsa_ymm_window_end_plus_one, jsa_ymm_window_end_first);
}

/* Whether a JSA_AVX512_ZMM_PERMUTE call writing `output_bytes` in all runs the 256-bit loop. */
static inline int jsa_in_ymm_window(size_t output_bytes) {
    return output_bytes >= jsa_ymm_window_start_inline() && output_bytes < jsa_ymm_window_end_inline();
}

/* The avx512 kernel's variant (jsa_avx512_variant_current), read on every call of that kernel:
 * inline, one relaxed load once decided. 0 until decided, then the variant + 1. Every first call
 * decides the same, so a race between two stores what either would. */
extern _Atomic int jsa_avx512_variant_plus_one;
jsa_avx512_variant jsa_avx512_variant_first(void);

static inline jsa_avx512_variant jsa_avx512_variant_inline(void) {
    const int stored = atomic_load_explicit(&jsa_avx512_variant_plus_one, memory_order_relaxed);
    return stored == 0 ? jsa_avx512_variant_first() : (jsa_avx512_variant)(stored - 1);
}

/* The avx2 kernel's variant (jsa_avx2_variant_current), as the avx512 one's above. */
extern _Atomic int jsa_avx2_variant_plus_one;
jsa_avx2_variant jsa_avx2_variant_first(void);

static inline jsa_avx2_variant jsa_avx2_variant_inline(void) {
    const int stored = atomic_load_explicit(&jsa_avx2_variant_plus_one, memory_order_relaxed);
    return stored == 0 ? jsa_avx2_variant_first() : (jsa_avx2_variant)(stored - 1);
}

/* How many elements a main loop that loads the aligned lagged block lag + j beside x + i + j (j
 * from 0, a vector of 4 at a time) may compute from i: all up to len, less the distance a short
 * period puts lag ahead of x + i (below 4, the high block lies past x + i and would leave x). */
static inline size_t jsa_lagged_block_count(const double *x, size_t i, size_t len, const double *lag) {
    const ptrdiff_t ahead = (lag - x) - (ptrdiff_t)i;
    const size_t limit = ahead <= 0 ? len : len > (size_t)ahead ? len - (size_t)ahead : 0;
    return limit > i ? limit - i : 0;
}

/* The output of every lane before first + period. */
#define JSA_NAN ((double)NAN)

#if JSA_HAVE_X86_KERNELS
#include <immintrin.h>

/* The head of a 256-bit row: out[0, warm) set to NaN with 256-bit stores, the last NaNs as one
 * vector ending at `warm` over some written already where it fits, else one at a time; returns
 * warm. The AVX2 row and JSA_AVX512_YMM_RING's valignq row inline it. */
__attribute__((target("avx2"), always_inline)) static inline size_t jsa_nan_head_256(double *out, size_t warm) {
    const __m256d nan = _mm256_set1_pd(JSA_NAN);
    size_t i = 0;
    for (; i + 4 <= warm; i += 4) {
        _mm256_storeu_pd(out + i, nan);
    }
    if (i < warm && warm >= 4) {
        _mm256_storeu_pd(out + warm - 4, nan);
        i = warm;
    }
    JSA_SCALAR_LOOP
    for (; i < warm; ++i) {
        out[i] = JSA_NAN;
    }
    return i;
}

/* The streaming main loop of both SIMD kernels (jsa_avx2.c): from i, with out + i 32-byte aligned,
 * while 8 elements remain, 256-bit loads as they lie and 256-bit non-temporal stores — first in
 * groups of jsa_streaming_pages() stretches of 4 KiB written interleaved, where that is more than 1
 * and the row (`len` doubles) reaches jsa_interleaved_streaming_threshold(), then in order — and a
 * store fence; returns where it stopped. AVX2 code, callable from the AVX-512 row. */
size_t jsa_streaming_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out);
/* The AVX2 kernel's lane-permute loops (jsa_avx2.c), from i where out + i is 32-byte aligned, one
 * per operand built from aligned blocks with vperm2f128 — the lagged one, the input, or both —
 * returning where they stopped. AVX2 code, callable from the AVX-512 row. */
size_t jsa_lane_permute_lag_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out);
size_t jsa_lane_permute_input_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out);
size_t jsa_lane_permute_both_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out);

/* The lane-permute loop from i where it applies — out + i 32-byte aligned, x 8-byte aligned, the
 * input and the lagged operand each on a 32-byte block or two doubles into one, not both on one,
 * and each block a loop loads inside x — else i unchanged. The AVX2 kernel's lane-permute rows run
 * it, and the AVX-512 kernel's 256-bit paths where the input is two doubles into its block. */
static inline size_t jsa_lane_permute_main_loop(const double *x, size_t i, size_t len, size_t period, double *out) {
    const uintptr_t input = (uintptr_t)(x + i) & 31u, lagged = (uintptr_t)(x + i - period) & 31u;
    const uintptr_t two = 2 * sizeof(double);
    if (((uintptr_t)(out + i) & 31u) != 0 || ((uintptr_t)x & 7u) != 0 || i + 4 > len) {
        return i;
    }
    if (input == 0 && lagged == two && i >= period + 2) {
        return jsa_lane_permute_lag_loop_avx2(x, i, len, period, out);
    }
    if (input == two && lagged == 0 && i >= 2) {
        return jsa_lane_permute_input_loop_avx2(x, i, len, period, out);
    }
    if (input == two && lagged == two && i >= period + 2) {
        return jsa_lane_permute_both_loop_avx2(x, i, len, period, out);
    }
    return i;
}
#endif

#endif /* JSA_INTERNAL_H */

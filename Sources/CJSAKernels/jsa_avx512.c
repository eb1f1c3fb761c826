/* The AVX-512 JSA kernel, in four variants (jsa_avx512_variant): eight doubles per instruction with
 * the lagged operand built with permutes from aligned loads for two vectors of every three (and
 * beyond the L1d, in JSA_AVX512_ZMM_PERMUTE, for every one), or four doubles per instruction
 * (AVX-512VL) with every lagged vector built from aligned blocks with valignq (and so in
 * JSA_AVX512_ZMM_PERMUTE's 256-bit window; JSA_AVX512_YMM_RING hands its calls within about the
 * L1d to the AVX2 kernel's rings). Aligned stores, masked head and tail. */
#include "jsa_kernels.h"

#if JSA_HAVE_X86_KERNELS
#include <immintrin.h>
#include <stdint.h>
#include "jsa_internal.h"

#define JSA_TARGET_AVX512 __attribute__((target("avx512f")))
#define JSA_TARGET_AVX512VL __attribute__((target("avx512f,avx512vl")))

/* Lanes [0, count) of an 8-lane mask; count <= 8. */
static inline __mmask8 jsa_lanes(size_t count) {
    return (__mmask8)((1u << count) - 1u);
}

/* How the main loop stores: out + i is 64-byte aligned after the peel unless out is not even
 * 8-byte aligned (a foreign buffer can be). */
enum { STORE_UNALIGNED, STORE_ALIGNED };

#define STORE(address, value) \
    (mode == STORE_ALIGNED ? _mm512_store_pd((address), (value)) : _mm512_storeu_pd((address), (value)))

/* The JSA_AVX512_ZMM_PERMUTE loop for an input less aligned than the output: from i, with out + i
 * on a line and x + i, 8-byte aligned, not — as NumPy arrays, placed at any 16 bytes, often leave
 * the two. Every input vector is then built from the two aligned blocks it straddles with one
 * vpermt2pd, so that no load of x[i] splits a line, and with `permute_lagged` (rows beyond the
 * L1d) every lagged vector too; in shorter rows the lagged vector is loaded as it lies. Runs while
 * the blocks it loads lie within the row (from i >= period + 8, up to 24 elements before its end);
 * returns where it stopped, for the 512-bit loop to finish. Measured on the AMD EPYC Zen 5 guest
 * (loops alone, period 30, the input 16, 32 or 48 bytes past a line, 30 interleaved rounds, ratio
 * to glibc's memcpy within the round, 2026-12-05): at n = 32768 (L2) 1.02-1.04x with both streams
 * permuted against 1.13-1.41x with split loads; at n = 10000 1.30-1.35x against 1.38-1.42x; at
 * 100000 1.30-1.31x against 1.31-1.35x; at n = 1000 (L1) 0.82-0.97x with the input permuted alone
 * against 0.87-1.09x, and 1.06-1.09x with both. */
JSA_TARGET_AVX512 __attribute__((always_inline))
static inline size_t misaligned_input_loop(const double *x, size_t i, size_t len, size_t period, double *out,
                                           int permute_lagged) {
    const __m512d half = _mm512_set1_pd(0.5);
    if (i < period + 8 || i + 24 > len) return i; /* zmm_permute_lead_avx512 leads in to period + 8 */
    /* x + i and x + i - period are `skew` and `lagged_skew` doubles into their aligned blocks;
     * lane k of a vector is lane k + skew of its (low, high) pair of blocks. */
    const size_t skew = ((uintptr_t)(x + i) & 63u) / sizeof(double);
    const size_t lagged_skew = ((uintptr_t)(x + i - period) & 63u) / sizeof(double);
    const double *block = x + i - skew, *lagged_block = x + i - period - lagged_skew;
    permute_lagged = permute_lagged && lagged_skew != 0; /* an aligned lagged vector is loaded whole */
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i take = _mm512_add_epi64(lanes, _mm512_set1_epi64((long long)skew));
    const __m512i take_lagged = _mm512_add_epi64(lanes, _mm512_set1_epi64((long long)lagged_skew));
    __m512d low = _mm512_load_pd(block), lagged_low = _mm512_load_pd(lagged_block);
    size_t j = 0;
    for (; permute_lagged && i + j + 24 <= len; j += 16) {
        __m512d mid = _mm512_load_pd(block + j + 8), lagged_mid = _mm512_load_pd(lagged_block + j + 8);
        JSA_IN_REGISTER(mid);
        JSA_IN_REGISTER(lagged_mid);
        const __m512d high = _mm512_load_pd(block + j + 16);
        const __m512d lagged_high = _mm512_load_pd(lagged_block + j + 16);
        const __m512d sum0 = _mm512_add_pd(_mm512_permutex2var_pd(low, take, mid),
                                           _mm512_permutex2var_pd(lagged_low, take_lagged, lagged_mid));
        const __m512d sum1 = _mm512_add_pd(_mm512_permutex2var_pd(mid, take, high),
                                           _mm512_permutex2var_pd(lagged_mid, take_lagged, lagged_high));
        _mm512_store_pd(out + i + j, _mm512_mul_pd(sum0, half));
        _mm512_store_pd(out + i + j + 8, _mm512_mul_pd(sum1, half));
        low = high;
        lagged_low = lagged_high;
    }
    for (; !permute_lagged && i + j + 24 <= len; j += 16) {
        __m512d mid = _mm512_load_pd(block + j + 8);
        JSA_IN_REGISTER(mid);
        const __m512d high = _mm512_load_pd(block + j + 16);
        const __m512d sum0 = _mm512_add_pd(_mm512_permutex2var_pd(low, take, mid), _mm512_loadu_pd(x + i + j - period));
        const __m512d sum1 =
            _mm512_add_pd(_mm512_permutex2var_pd(mid, take, high), _mm512_loadu_pd(x + i + j + 8 - period));
        _mm512_store_pd(out + i + j, _mm512_mul_pd(sum0, half));
        _mm512_store_pd(out + i + j + 8, _mm512_mul_pd(sum1, half));
        low = high;
    }
    return i + j;
}

/* What JSA_AVX512_ZMM_PERMUTE runs before the main loop, from i with out + i on a line: plain
 * vectors until the permute loops' whole blocks, from up to 8 doubles before x + i - period, lie
 * within x — else a row that starts at its period (no NaN prefix) with its output at an offset
 * that ends the peel short of that never permuted (for period 30 an output 8 or 16 bytes past a
 * line, and every input off its line) — and then, for an input off its line, misaligned_input_loop.
 * Returns where it stopped, for the main loop to go on from. Not inlined: inlined, its code made
 * the batch entry keep a pointer of the mixed loop on the stack, one more load per iteration
 * (rows of n = 1000 ran 20% slower). */
JSA_TARGET_AVX512 __attribute__((noinline))
static size_t zmm_permute_lead_avx512(const double *x, size_t i, size_t len, size_t period, double *out,
                                      int permute_every) {
    const __m512d half = _mm512_set1_pd(0.5);
    const int input_on_line = ((uintptr_t)(x + i) & 63u) == 0;
    if (((uintptr_t)x & 7u) != 0 || (input_on_line && period % 8 == 0)) return i;
    const size_t permute_from = input_on_line ? period / 8 * 8 + 8 : period + 8;
    for (; i < permute_from && i + 8 <= len; i += 8) {
        _mm512_store_pd(out + i,
                        _mm512_mul_pd(_mm512_add_pd(_mm512_loadu_pd(x + i), _mm512_loadu_pd(x + i - period)), half));
    }
    return input_on_line ? i : misaligned_input_loop(x, i, len, period, out, permute_every);
}

/* The main loop, from i while 16 elements remain; returns where it stopped. `mode` is a constant
 * at each call site; `permute_every` (JSA_AVX512_ZMM_PERMUTE rows beyond the L1d) builds every
 * lagged vector with a permute where the mixed loop would. */
JSA_TARGET_AVX512 __attribute__((always_inline))
static inline size_t main_loop(const double *x, size_t i, size_t len, size_t period, double *out, int mode,
                               int permute_every) {
    const __m512d half = _mm512_set1_pd(0.5);
    /* With the stores aligned, the lagged operand x[i - period] is not, unless period is a multiple
     * of 8: every 512-bit load of it then spans two cache lines, which costs a second L1 access.
     * When x is as aligned as out, the lagged vector can instead be built from two aligned blocks
     * with one two-source permute (vpermt2pd): lane k of the lagged vector is lane k + 8 - shift
     * of the pair (low, high), where x + i - 8 * back starts `high` — but that is a third vector
     * operation per vector on a core with two 512-bit vector ports. The loop balances the two
     * costs: of every three vectors, two are built with permutes and one is loaded across the
     * line boundary. Measured on the main loops alone (n = 1000, best of 60 interleaved rounds,
     * Intel Xeon guest, 2026-12-03): 1.49-1.72x memcpy's time against 1.62-2.17x with permutes
     * only and 1.62-1.96x with split loads only, at periods 17, 30 and 45 — the speed of a loop
     * over two aligned streams (1.42-1.61x), the floor of any two-stream kernel there
     * (scripts/store-limit). Same operations, same bits. Streaming rows take another loop
     * (row_avx512).
     *
     * Beyond the L1d the balance moves on a core that loads two 512-bit vectors and permutes two
     * per cycle (AMD Zen 5, scripts/core-ports): there the lagged load across lines costs more
     * than the permute, and JSA_AVX512_ZMM_PERMUTE rows permute every lagged vector. On the
     * Zen 5 guest (loops alone, period 30, 40 interleaved rounds, ratio to glibc's memcpy within
     * the round, 2026-12-05): at n = 1000-3000, whose input and output fit its 48 KiB L1d, the
     * mixed loop 0.75-0.94x against 0.85-1.03x with permutes only; at 3500 and 4000 1.76-1.82x
     * against 1.74-1.78x; at 32768 1.10-1.15x against 1.05-1.08x. */
    const size_t back = period / 8, shift = period % 8;
    if (mode == STORE_ALIGNED && shift != 0 && ((uintptr_t)(x + i) & 63u) == 0 && i >= 8 * back + 8) {
        const __m512i index = _mm512_add_epi64(_mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0),
                                               _mm512_set1_epi64((long long)(8 - shift)));
        __m512d low = _mm512_load_pd(x + i - 8 * back - 8);
        for (; permute_every && i + 16 <= len; i += 16) {
            const __m512d mid = _mm512_load_pd(x + i - 8 * back);
            const __m512d high = _mm512_load_pd(x + i + 8 - 8 * back);
            const __m512d sum0 = _mm512_add_pd(_mm512_load_pd(x + i), _mm512_permutex2var_pd(low, index, mid));
            const __m512d sum1 = _mm512_add_pd(_mm512_load_pd(x + i + 8), _mm512_permutex2var_pd(mid, index, high));
            STORE(out + i, _mm512_mul_pd(sum0, half));
            STORE(out + i + 8, _mm512_mul_pd(sum1, half));
            low = high;
        }
        for (; !permute_every && i + 24 <= len; i += 24) {
            __m512d mid = _mm512_load_pd(x + i - 8 * back);
            JSA_IN_REGISTER(mid);
            const __m512d high = _mm512_load_pd(x + i + 8 - 8 * back);
            const __m512d sum0 = _mm512_add_pd(_mm512_load_pd(x + i), _mm512_permutex2var_pd(low, index, mid));
            const __m512d sum1 = _mm512_add_pd(_mm512_load_pd(x + i + 8), _mm512_permutex2var_pd(mid, index, high));
            const __m512d sum2 = _mm512_add_pd(_mm512_load_pd(x + i + 16), _mm512_loadu_pd(x + i + 16 - period));
            STORE(out + i, _mm512_mul_pd(sum0, half));
            STORE(out + i + 8, _mm512_mul_pd(sum1, half));
            STORE(out + i + 16, _mm512_mul_pd(sum2, half));
            low = _mm512_load_pd(x + i + 16 - 8 * back);
        }
    }
    for (; i + 16 <= len; i += 16) {
        const __m512d sum0 = _mm512_add_pd(_mm512_loadu_pd(x + i), _mm512_loadu_pd(x + i - period));
        const __m512d sum1 = _mm512_add_pd(_mm512_loadu_pd(x + i + 8), _mm512_loadu_pd(x + i + 8 - period));
        STORE(out + i, _mm512_mul_pd(sum0, half));
        STORE(out + i + 8, _mm512_mul_pd(sum1, half));
    }
    return i;
}

#undef STORE

/* The JSA_AVX512_YMM_ALIGNR main loop for a lagged operand that starts OFFSET doubles into an aligned
 * 32-byte block: from i while 4 elements remain, with out + i 32-byte aligned and `block` the
 * aligned block holding x + i - period. The lagged vector x[i - period, +4) is lanes OFFSET... of
 * the pair (block, block + 4), which one valignq extracts (an immediate, hence one loop per
 * offset); each aligned block is loaded once and serves two lagged vectors. x + i itself is loaded
 * as it lies (aligned where x and out agree modulo 32 bytes, as the sweep's buffers do). Per vector:
 * two 32-byte loads, valignq, add, multiply, one aligned 32-byte store — memcpy's pattern plus a
 * load, which a core that stores 32 bytes per cycle and loads 64 has room for (AMD Zen 4;
 * scripts/core-ports), where loads across lines and 512-bit operations cost it. Measured on the
 * main loops alone (n = 1000, interleaved with memcpy, best round, AMD EPYC Zen 4 guest,
 * 2026-12-04): 0.98-1.01x memcpy's time at periods 1, 5, 17, 29, 30, against 1.16-1.19x with
 * 256-bit loads across lines, 1.23-1.26x for this file's 512-bit mixed loop and 1.06-1.09x for
 * 512-bit vectors all built with vpermt2pd. Eight vectors per iteration measured 1% faster than
 * four (`jsa-bench gate --baseline-exec`, 16 rounds, n = 1000 and 2000).
 *
 * Two schedules of the same instructions, chosen by the row's size (`interleaved`). Interleaved,
 * each block is loaded just before the step that first needs it: on the Zen 4 guest the slope of
 * the main loop over n = 400-1600 fell from 75.5 to 71 ns per 1000 elements (memcpy's 68, a loop
 * over two aligned streams 70; 2026-12-04, a standalone driver), `jsa-bench gate --baseline-exec`
 * measured `into avx512` 3.2% faster at n = 1000 and 2.5% at 2000 (95% CIs 0.966-0.971,
 * 0.968-0.990, 16 rounds). Grouped, the eight blocks of an iteration are loaded first: beyond the
 * L2 that ran 0.5-1% faster at n = 98304-262144 and 2-3% at n = 1048576 (`into avx512` 1.032x
 * interleaved there, CI 1.017-1.044), so rows longer than JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH
 * (input and output beyond the L2) keep it. One index serves the three streams. */
#define YMM_ALIGNR_PAIR(k, high, low, OFFSET)                                                          \
    _mm256_store_pd(out + j + (k),                                                                     \
                    _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(x + j + (k)),                          \
                                                _mm256_castsi256_pd(_mm256_alignr_epi64(high, low, OFFSET))), \
                                  half))
#define YMM_ALIGNR_STEP(k, low, OFFSET)                                                                \
    do {                                                                                               \
        const __m256i high = _mm256_load_si256((const __m256i *)(lag + j + (k)));                      \
        YMM_ALIGNR_PAIR(k, high, low, OFFSET);                                                         \
        low = high;                                                                                    \
    } while (0)
#define YMM_ALIGNR_LOOP(OFFSET)                                                                        \
    JSA_TARGET_AVX512VL static size_t jsa_ymm_alignr_loop_##OFFSET##_avx512vl(                         \
        const double *x, size_t i, size_t len, const double *block, double *out, int interleaved) {   \
        const __m256d half = _mm256_set1_pd(0.5);                                                      \
        __m256i low = _mm256_load_si256((const __m256i *)block);                                       \
        const double *lag = block + 4;                                                                 \
        const size_t count = jsa_lagged_block_count(x, i, len, lag); /* x + i + j, lag + j, out + i + j */ \
        x += i;                                                                                        \
        out += i;                                                                                      \
        size_t j = 0;                                                                                  \
        if (interleaved) {                                                                             \
            for (; j + 32 <= count; j += 32) {                                                         \
                YMM_ALIGNR_STEP(0, low, OFFSET);                                                       \
                YMM_ALIGNR_STEP(4, low, OFFSET);                                                       \
                YMM_ALIGNR_STEP(8, low, OFFSET);                                                       \
                YMM_ALIGNR_STEP(12, low, OFFSET);                                                      \
                YMM_ALIGNR_STEP(16, low, OFFSET);                                                      \
                YMM_ALIGNR_STEP(20, low, OFFSET);                                                      \
                YMM_ALIGNR_STEP(24, low, OFFSET);                                                      \
                YMM_ALIGNR_STEP(28, low, OFFSET);                                                      \
            }                                                                                          \
        } else {                                                                                       \
            for (; j + 32 <= count; j += 32) {                                                         \
                const __m256i b0 = _mm256_load_si256((const __m256i *)(lag + j));                      \
                const __m256i b1 = _mm256_load_si256((const __m256i *)(lag + j + 4));                  \
                const __m256i b2 = _mm256_load_si256((const __m256i *)(lag + j + 8));                  \
                const __m256i b3 = _mm256_load_si256((const __m256i *)(lag + j + 12));                 \
                const __m256i b4 = _mm256_load_si256((const __m256i *)(lag + j + 16));                 \
                const __m256i b5 = _mm256_load_si256((const __m256i *)(lag + j + 20));                 \
                const __m256i b6 = _mm256_load_si256((const __m256i *)(lag + j + 24));                 \
                const __m256i b7 = _mm256_load_si256((const __m256i *)(lag + j + 28));                 \
                YMM_ALIGNR_PAIR(0, b0, low, OFFSET);                                                   \
                YMM_ALIGNR_PAIR(4, b1, b0, OFFSET);                                                    \
                YMM_ALIGNR_PAIR(8, b2, b1, OFFSET);                                                    \
                YMM_ALIGNR_PAIR(12, b3, b2, OFFSET);                                                   \
                YMM_ALIGNR_PAIR(16, b4, b3, OFFSET);                                                   \
                YMM_ALIGNR_PAIR(20, b5, b4, OFFSET);                                                   \
                YMM_ALIGNR_PAIR(24, b6, b5, OFFSET);                                                   \
                YMM_ALIGNR_PAIR(28, b7, b6, OFFSET);                                                   \
                low = b7;                                                                              \
            }                                                                                          \
        }                                                                                              \
        for (; j + 4 <= count; j += 4) {                                                               \
            YMM_ALIGNR_STEP(0, low, OFFSET);                                                           \
        }                                                                                              \
        return i + j;                                                                                  \
    }
YMM_ALIGNR_LOOP(1)
YMM_ALIGNR_LOOP(2)
YMM_ALIGNR_LOOP(3)
#undef YMM_ALIGNR_LOOP
#undef YMM_ALIGNR_STEP
#undef YMM_ALIGNR_PAIR

/* A lagged operand on a 32-byte boundary: aligned loads, no valignq (AVX2 code). */
__attribute__((target("avx2"))) static size_t jsa_ymm_aligned_lag_loop_avx2(const double *x, size_t i, size_t len,
                                                                           size_t period, double *out) {
    const __m256d half = _mm256_set1_pd(0.5);
    for (; i + 16 <= len; i += 16) {
        for (size_t k = 0; k < 16; k += 4) {
            const __m256d sum = _mm256_add_pd(_mm256_loadu_pd(x + i + k), _mm256_load_pd(x + i + k - period));
            _mm256_store_pd(out + i + k, _mm256_mul_pd(sum, half));
        }
    }
    for (; i + 4 <= len; i += 4) {
        const __m256d sum = _mm256_add_pd(_mm256_loadu_pd(x + i), _mm256_load_pd(x + i - period));
        _mm256_store_pd(out + i, _mm256_mul_pd(sum, half));
    }
    return i;
}

/* The JSA_AVX512_YMM_ALIGNR main loop from i (out + i 64-byte aligned by the peel) where the input
 * allows it — x 8-byte aligned, so that the lagged operand starts a whole number of doubles into
 * its block, that block wholly inside x, and a vector left to compute; else i unchanged, for the
 * 512-bit loop to go on from. The
 * loops are functions of their own (suffix _avx512vl, which scripts/check-isa checks for 256-bit
 * arithmetic and valignq): a function that needs AVX-512VL cannot be inlined into the AVX-512F
 * row, which must run without it. */
JSA_TARGET_AVX512 __attribute__((always_inline)) static inline size_t ymm_alignr_main_loop(const double *x, size_t i,
                                                                                         size_t len, size_t period,
                                                                                         double *out) {
    const uintptr_t lagged = (uintptr_t)(x + i - period), block = lagged & ~(uintptr_t)31u;
    if (((uintptr_t)x & 7u) != 0 || block < (uintptr_t)x || i + 4 > len ||
        (block - (uintptr_t)x) / sizeof(double) + 4 > len) {
        return i;
    }
    const int interleaved = len <= JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH;
    switch ((lagged - block) / sizeof(double)) {
    case 1: return jsa_ymm_alignr_loop_1_avx512vl(x, i, len, (const double *)block, out, interleaved);
    case 2: return jsa_ymm_alignr_loop_2_avx512vl(x, i, len, (const double *)block, out, interleaved);
    case 3: return jsa_ymm_alignr_loop_3_avx512vl(x, i, len, (const double *)block, out, interleaved);
    default: return jsa_ymm_aligned_lag_loop_avx2(x, i, len, period, out);
    }
}

/* One row; inlined into variant_row_avx512 and the batch entry, so that each is AVX-512 code
 * itself (check-isa counts the zmm instructions of every kernel function; the row entry points
 * are drivers of those). Rows of at least `streaming_from` bytes are
 * written with streaming stores (jsa_streaming_threshold); `ymm_window` (a JSA_AVX512_ZMM_PERMUTE
 * call in its 256-bit window, jsa_ymm_window_start) runs the JSA_AVX512_YMM_ALIGNR loop. */
JSA_TARGET_AVX512 JSA_SCALAR_FUNCTION __attribute__((always_inline))
static inline void row_avx512(const double *x, size_t len, size_t first, size_t period, double *out,
                              size_t streaming_from, jsa_avx512_variant variant, int ymm_window) {
    const size_t warm = first + period;
    const __m512d nan = _mm512_set1_pd(JSA_NAN);
    const __m512d half = _mm512_set1_pd(0.5);

    size_t i = 0;
    for (; i + 8 <= warm; i += 8) {
        _mm512_storeu_pd(out + i, nan);
    }
    if (i < warm) {
        _mm512_mask_storeu_pd(out + i, jsa_lanes(warm - i), nan);
        i = warm;
    }

    /* Peel up to 7 elements so that the main loop's stores are 64-byte aligned: an unaligned
     * 512-bit store splits across two cache lines every time. Where a whole vector fits, it is
     * computed and stored unaligned and the main loop starts at the next aligned element, writing
     * the overlap again with the same values; else a masked block. The unmasked peel measured
     * `into avx512` 1.8% faster at n = 400 and 0.9% at 1000 (95% CIs 0.978-0.986, 0.989-0.993;
     * memcpy 1.002 and 1.000), unchanged at 2000 and 10000 (`jsa-bench gate --baseline-exec`, 16
     * rounds, AMD EPYC Zen 4 guest, 2026-12-05). */
    const size_t misaligned = ((uintptr_t)(out + i) & 63u) / sizeof(double);
    if (misaligned != 0 && i + 8 <= len) {
        const __m512d sum = _mm512_add_pd(_mm512_loadu_pd(x + i), _mm512_loadu_pd(x + i - period));
        _mm512_storeu_pd(out + i, _mm512_mul_pd(sum, half));
        i += 8 - misaligned;
    } else if (misaligned != 0 && i < len) {
        const size_t peel = (8 - misaligned < len - i) ? 8 - misaligned : len - i;
        const __mmask8 head = jsa_lanes(peel);
        const __m512d sum = _mm512_add_pd(_mm512_maskz_loadu_pd(head, x + i),
                                          _mm512_maskz_loadu_pd(head, x + i - period));
        _mm512_mask_storeu_pd(out + i, head, _mm512_mul_pd(sum, half));
        i += peel;
    }

    if (((uintptr_t)(out + i) & 63u) != 0) {
        i = main_loop(x, i, len, period, out, STORE_UNALIGNED, 0);
    } else if (len * sizeof(double) >= streaming_from) {
        /* From memory the loads are not the limit and 512-bit vectors gain nothing: the row streams
         * with the AVX2 kernel's loop, 256-bit loads as they lie (one lagged load of two across a
         * line, where every 512-bit one is) and 256-bit non-temporal stores. On the AMD EPYC Zen 5
         * guest (family 0x1A model 0x02) the 512-bit split-load loop ran `into avx512` 3-9% slower
         * than `into avx2` beyond the L3 (`scripts/kernel-evidence 3`, 12 runs, 2026-12-05);
         * `jsa-bench gate --baseline-exec` (that build against this one, 12 rounds) measured
         * `into avx512` 5.2% faster at n = 4194304 (95% CI 0.929-0.965) and 4.0% at 8388608
         * (0.954-0.966), as fast as `into avx2` at both. On Intel (Sapphire Rapids class) the
         * 512-bit split-load loop was 5.5% faster than the mixed permute loop from memory
         * (2026-12-03), and the two kernels' streaming rows within 1% of each other in three
         * default sweeps: permutes cost there, as in this loop they are not run. */
        i = jsa_streaming_loop_avx2(x, i, len, period, out);
    } else {
        /* JSA_AVX512_ZMM_PERMUTE calls whose input and output lie between 1.5x the L1d and a
         * quarter of the L2 run the 256-bit loop: between the L1d and ~3/8 of the L2 every 512-bit
         * loop tried lost to the 256-bit ones on the AMD EPYC Zen 5 guest (family 0x1A model
         * 0x02, L1d 48 KiB, L2 1 MiB; a standalone driver, period
         * 30, 30 interleaved rounds, ratio to glibc's memcpy within the round, 2026-12-05): a
         * 512-bit permute loop over 256-bit vperm2f128's 1.03-1.07x from n = 3400 (53 KiB of input
         * and output) to 23000 (359 KiB), 0.59-0.62x at 3000-3200 (within the L1d), and 0.94x at
         * 24000 (375 KiB), 0.83x at 32768. Aligned two-stream loops and copy loops show the same
         * edges (512-bit copies 1.30-1.34x memcpy inside, 1.02x beyond), so it is neither the
         * permutes nor the split loads (period 32, no permute: `jsa avx512 zmmp` 1.37x against
         * `ymm` 1.29x at n = 10000, scripts/store-limit), nor the DTLB (its 96 entries of 4 KiB
         * reach 384 KiB, but 2 MiB pages, AnonHugePages confirmed, moved no edge). The edge moves
         * with the data a caller touches (two buffer pairs put it at half the length,
         * docs/store-limit.md), so the window keeps inside the measured one on both sides: from 1.5x
         * the L1d to a quarter of the L2, in bytes of the call's output (a batch's whole output).
         * It also needs x + i as aligned as out + i modulo 32 bytes, as the 256-bit loop loads it
         * as it lies: else `alloc avx512`, whose output a Swift array puts at any 16 bytes, ran
         * 12-17% slower at n = 4608-16000 (`jsa-bench gate --baseline-exec`, 24 rounds). With
         * both, `into avx512` ran 3.9-6.0% faster at n = 4608-16000 there (the same gates). */
        const int ymm = variant == JSA_AVX512_YMM_ALIGNR || variant == JSA_AVX512_YMM_RING;
        if (ymm || ymm_window) {
            /* An input two doubles into its 32-byte block (a caller's array 16 bytes off a line)
             * would split every other 256-bit load of it: where the lagged operand lies on a block
             * or two doubles into one too (even periods), the AVX2 kernel's lane-permute loop
             * builds both from aligned blocks. On the Zen 5 guest, the input 16 or 48 bytes off
             * (`INPUT_OFFSET=16 scripts/store-limit`, 2026-12-05): that loop's row 1.24-1.26x
             * memcpy at n = 1000-32768, as with the input on its line, against 1.34-1.35x for the
             * 512-bit loop that permutes the input at n = 10000. */
            const uintptr_t input_in_block = (uintptr_t)(x + i) & 31u;
            if (__builtin_expect(input_in_block == 2 * sizeof(double), 0)) {
                i = jsa_lane_permute_main_loop(x, i, len, period, out);
            }
            if (ymm || input_in_block == 0) {
                i = ymm_alignr_main_loop(x, i, len, period, out);
            }
        }
        const int permute_every =
            variant == JSA_AVX512_ZMM_PERMUTE && len * sizeof(double) >= jsa_permute_threshold_inline();
        /* The call only where it has work (the input off its line, or a lead-in to run): made on
         * every row, it cost aligned rows of n = 1000 10-20% at every period 10-40 (a standalone
         * driver, 2026-12-05). */
        if (variant == JSA_AVX512_ZMM_PERMUTE &&
            (((uintptr_t)(x + i) & 63u) != 0 || (period % 8 != 0 && i < period / 8 * 8 + 8))) {
            i = zmm_permute_lead_avx512(x, i, len, period, out, permute_every);
        }
        i = main_loop(x, i, len, period, out, STORE_ALIGNED, permute_every);
    }
    if (i + 8 <= len) {
        const __m512d sum = _mm512_add_pd(_mm512_loadu_pd(x + i), _mm512_loadu_pd(x + i - period));
        _mm512_storeu_pd(out + i, _mm512_mul_pd(sum, half));
        i += 8;
    }
    if (i < len) {
        const __mmask8 tail = jsa_lanes(len - i);
        const __m512d sum = _mm512_add_pd(_mm512_maskz_loadu_pd(tail, x + i),
                                          _mm512_maskz_loadu_pd(tail, x + i - period));
        _mm512_mask_storeu_pd(out + i, tail, _mm512_mul_pd(sum, half));
    }
}

/* Whether a JSA_AVX512_YMM_RING call writing `output_bytes` in all runs JSA_AVX2_LAG_RING's row at
 * `period`: below jsa_ymm_ring_below() at a period one of its rings covers. Each entry point asks
 * first and hands such a row over whole, head and tail included, by a jump before it saves a
 * register: on the AMD EPYC Zen 4 guest (family 0x19 model 0x11, L1d 32 KiB; 2026-12-08, n = 1000,
 * period 30, `scripts/store-limit 1000`, best of 60 interleaved rounds, memcpy 75.0-75.3 ns) the
 * ymm-alignr row took 81.0 ns and the AVX2 kernel's lag-ring row 72.6-74.2; the ring's loop
 * called from within this row, after its 512-bit head and peel, 79.8, after a 256-bit head and
 * peel 85-86; the lag-ring row called from the entry point with this row inlined in it (its
 * registers saved first) 75.1-76.6, jumped to from an entry point of its own 73.7-74.3. The
 * sweeps' rows (`JSA_AVX2_VARIANT=lag-ring jsa-bench sweep --kernels avx2,avx512 --period P`,
 * 2026-12-08 02:48-02:55): `into avx2` (lag-ring) against `into avx512` (ymm-alignr) at n = 1000,
 * x memcpy, 0.99-1.03 against 1.07-1.16 at even periods 10-48 and 1.11-1.13 against 1.13-1.16 at
 * odd ones 9-47, and outside 9-48, where it has no ring, 1.30-1.38 against 1.12-1.36 (periods of 4
 * alike); by size at periods 10, 12, 17, 29, 30, 32 and 42 the ring ahead up to n = 2200 (17600
 * bytes of output) and not from 2300 (18400), where both read 0.96-1.05, the ring up to 0.09 above
 * (docs/store-limit.md, "The rings within the L1d"). */
static inline int ring_row(jsa_avx512_variant variant, size_t output_bytes, size_t period, size_t ring_below) {
    return variant == JSA_AVX512_YMM_RING && output_bytes < ring_below && jsa_avx2_ring_period(period);
}

/* The row a call ring_row picks runs, for a call writing `output_bytes` in all: at odd periods
 * below jsa_valignq_ring_below() with x as aligned as out modulo 32 bytes the valignq ring's, else
 * JSA_AVX2_LAG_RING's (its rings at even periods, and at odd ones in longer rows or with the input
 * 16 bytes off the output's alignment). */
JSA_TARGET_AVX512 __attribute__((always_inline)) static inline int ring_row_handed(const double *x, size_t len,
                                                                                  size_t first, size_t period,
                                                                                  double *out,
                                                                                  size_t output_bytes,
                                                                                  size_t valignq_below) {
    return period % 2 != 0 && output_bytes < valignq_below && ((uintptr_t)x & 7u) == 0 &&
                   (((uintptr_t)x - (uintptr_t)out) & 31u) == 0
               ? jsa_valignq_ring_row_avx512vl(x, len, first, period, out)
               : jsa_row_variant_avx2(JSA_AVX2_LAG_RING, x, len, first, period, out);
}

/* The entry points before what they read is published (a process's first calls): publish it and
 * enter again. Out of line and reached by a jump, so that the entry points save no register on
 * their way to the row they jump to: with the publishing call inside, jsa_row_avx512 saved five
 * first. */
JSA_TARGET_AVX512 __attribute__((noinline, cold))
static int publish_then_row(const double *x, size_t len, size_t first, size_t period, double *out) {
    (void)jsa_avx512_variant_first();
    return jsa_row_avx512(x, len, first, period, out);
}

JSA_TARGET_AVX512 __attribute__((noinline, cold))
static int publish_then_variant_row(jsa_avx512_variant variant, const double *x, size_t len, size_t first,
                                    size_t period, double *out) {
    (void)jsa_valignq_ring_below_first();
    (void)jsa_ymm_ring_below_first();
    return jsa_row_variant_avx512(variant, x, len, first, period, out);
}

/* One row of `variant` in this kernel's own code, the row entry's tail where ring_row does not hand
 * the row over. Out of line: inlined into the entry, it made clang save five registers before the
 * entry's jump to the ring's row. */
JSA_TARGET_AVX512 JSA_SCALAR_FUNCTION __attribute__((noinline))
static int variant_row_avx512(jsa_avx512_variant variant, const double *x, size_t len, size_t first, size_t period,
                              double *out) {
    row_avx512(x, len, first, period, out, jsa_streaming_threshold_inline(), variant,
               variant == JSA_AVX512_ZMM_PERMUTE && jsa_in_ymm_window(len * sizeof(double)));
    return 0;
}

/* The row of `variant`: handed to JSA_AVX2_LAG_RING's row by a jump where ring_row says so, else
 * variant_row_avx512. jsa_row_avx512 jumps here once it knows the variant. */
JSA_TARGET_AVX512 JSA_SCALAR_FUNCTION
int jsa_row_variant_avx512(jsa_avx512_variant variant, const double *x, size_t len, size_t first, size_t period,
                           double *out) {
    const size_t ring_below_plus_one = atomic_load_explicit(&jsa_ymm_ring_below_plus_one, memory_order_relaxed);
    if (__builtin_expect(ring_below_plus_one == 0, 0)) {
        return publish_then_variant_row(variant, x, len, first, period, out);
    }
    if (ring_row(variant, len * sizeof(double), period, jsa_published_threshold(ring_below_plus_one))) {
        /* Published before ring_below (publish_then_variant_row); unpublished reads as 0, never. */
        const size_t valignq_below_plus_one =
            period % 2 != 0 ? atomic_load_explicit(&jsa_valignq_ring_below_plus_one, memory_order_relaxed) : 0;
        return ring_row_handed(x, len, first, period, out, len * sizeof(double),
                               valignq_below_plus_one == 0 ? 0 : jsa_published_threshold(valignq_below_plus_one));
    }
    return variant_row_avx512(variant, x, len, first, period, out);
}

JSA_TARGET_AVX512 JSA_SCALAR_FUNCTION
int jsa_row_avx512(const double *x, size_t len, size_t first, size_t period, double *out) {
    const int variant_plus_one = atomic_load_explicit(&jsa_avx512_variant_plus_one, memory_order_relaxed);
    if (__builtin_expect(variant_plus_one == 0, 0)) return publish_then_row(x, len, first, period, out);
    return jsa_row_variant_avx512((jsa_avx512_variant)(variant_plus_one - 1), x, len, first, period, out);
}

JSA_TARGET_AVX512 JSA_SCALAR_FUNCTION
void jsa_rows_avx512(const double *x, size_t len, size_t first, size_t period_start,
                     ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    /* The whole batch decides: rows that each fit the cache still overflow it together. */
    const size_t streaming_from = batch_bytes >= jsa_streaming_threshold_inline() ? 0 : SIZE_MAX;
    const jsa_avx512_variant variant = jsa_avx512_variant_inline();
    const int ymm_window = variant == JSA_AVX512_ZMM_PERMUTE && jsa_in_ymm_window(batch_bytes);
    const size_t ring_below = jsa_ymm_ring_below_inline(), valignq_below = jsa_valignq_ring_below_inline();
    size_t period = period_start;
    JSA_SCALAR_LOOP
    for (size_t r = 0; r < rows; ++r, period += (size_t)period_step) {
        if (ring_row(variant, batch_bytes, period, ring_below)) {
            ring_row_handed(x, len, first, period, out + r * len, batch_bytes, valignq_below);
        } else {
            row_avx512(x, len, first, period, out + r * len, streaming_from, variant, ymm_window);
        }
    }
}

#endif /* JSA_HAVE_X86_KERNELS */

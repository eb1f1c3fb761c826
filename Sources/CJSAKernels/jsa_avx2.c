/* The AVX2 JSA kernel: four doubles per instruction, aligned (or streaming) stores, four vectors per
 * iteration, scalar head and tail; in one of two variants (jsa_avx2_variant), which differ in how an
 * operand two doubles into its 32-byte block is loaded. */
#include "jsa_kernels.h"

#if JSA_HAVE_X86_KERNELS
#include <immintrin.h>
#include <stdint.h>
#include "jsa_internal.h"

#define JSA_TARGET_AVX2 __attribute__((target("avx2")))

/* One 4-wide step at i: out[i, i + 4) from x[i, i + 4) and x[i - period, i - period + 4). */
#define STEP(k)                                                                                     \
    do {                                                                                            \
        const __m256d sum = _mm256_add_pd(_mm256_loadu_pd(x + i + (k)), _mm256_loadu_pd(x + i + (k) - period)); \
        if (streaming) {                                                                            \
            _mm256_stream_pd(out + i + (k), _mm256_mul_pd(sum, half));                              \
        } else {                                                                                    \
            _mm256_storeu_pd(out + i + (k), _mm256_mul_pd(sum, half));                              \
        }                                                                                           \
    } while (0)

/* The main loop, from i while 8 elements remain; returns where it stopped. Streaming stores
 * (`streaming`, a constant at each call site) need out + i 32-byte aligned. Four independent
 * vectors per iteration (after one pair where the elements left are 8 to 15 modulo 16): the loop
 * overhead and the dependency on the index are spread over 16 elements. Measured with a standalone
 * driver calling the main loops alone on aligned buffers, n = 1000, period 30 and 17, interleaved,
 * best of 60 (Intel Xeon, Sapphire Rapids class, 2026-12-03): 2.30-2.50x memcpy's time against
 * 2.75-2.89x with two vectors per iteration; the store limit for 32-byte stores there is
 * 1.82-1.86x (a plain 256-bit copy loop).
 * The pair comes first: after the loop, where a row's tail ran the loop and then the pair (period
 * 10 after the lag ring: 6, 7 or 11 vectors left at n = 900, 1000 and 1400), `into avx2` took
 * 1.15-1.22x memcpy's time against 1.02-1.03x with the pair first, `bare_c` 1.15-1.20x against
 * 0.99-1.00x, in every one of six code layouts; at n = 400 and 2000 and at periods 29 and 30 both
 * orders within 1% (medians over the layouts; AMD EPYC Zen 3 guest, 2026-12-07 21:19-21:30,
 * `PERIODS="10 30 29" scripts/layout-ab HEAD -- --sizes 400,900,1000,1400,2000 --kernels avx2`).
 * Which event the order costs, a PMU would show. */
JSA_TARGET_AVX2 __attribute__((always_inline))
static inline size_t main_loop(const double *x, size_t i, size_t len, size_t period, double *out, int streaming) {
    const __m256d half = _mm256_set1_pd(0.5);
    if (i + 8 <= len && (len - i) % 16 >= 8) {
        STEP(0);
        STEP(4);
        i += 8;
    }
    for (; i + 16 <= len; i += 16) {
        STEP(0);
        STEP(4);
        STEP(8);
        STEP(12);
    }
    return i;
}

#undef STEP

/* The JSA_AVX2_LANE_PERMUTE main loop, from i while 4 elements remain, where out + i is 32-byte
 * aligned and an operand that starts two doubles into an aligned 32-byte block — the lagged one,
 * x + i - period, or the input x + i itself, or both (`permute_lag`, `permute_input`, constants at
 * each call site) — is built from that block and the next: its vector x[k, k + 4) is the high half
 * of one aligned block and the low half of the next, which one vperm2f128 joins. Each block is
 * loaded once, just before the vector that first needs it, and serves two vectors; an operand not
 * permuted lies on its block and is loaded whole, so no load splits a line. Per vector: two aligned
 * 32-byte loads, one permute per permuted operand, add, multiply and an aligned store. On the AMD
 * EPYC Zen 4 guest (2026-12-04, `jsa-bench gate --baseline-exec`, 16 rounds) `into avx2` at period
 * 30 ran 14.0% faster at n = 1000 and 16.2% at 2000 than with split loads, the same at 32768 and
 * 1048576; on the family 0x17 guest, whose vperm2f128 takes three cycles, loops built this way took
 * 2.05-2.39x memcpy's time at periods 29-31 against 1.46-1.49x with split loads (2026-12-03), hence
 * a variant per CPU. At odd offsets an operand would need a second, in-lane shuffle: 1.27x memcpy
 * at n = 1000 on Zen 4 against the split loads' 1.24-1.25x, so both variants load it as it lies.
 * The input is two doubles into its block where the caller's array lies 16 bytes off a cache line
 * while the output's stores are aligned (NumPy places arrays at any 16 bytes). */
/* JSA's vector at x + i, both operands loaded as they lie: (x[i, i + 4) + x[i - period, ...)) * 0.5. */
JSA_TARGET_AVX2 __attribute__((always_inline)) static inline __m256d vector_at(const double *x, size_t i, size_t period) {
    return _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(x + i - period)), _mm256_set1_pd(0.5));
}

/* The vector that starts two doubles into the aligned block held in *low: its high half and the low
 * half of the next aligned block, `high`, which becomes *low. */
JSA_TARGET_AVX2 __attribute__((always_inline)) static inline __m256d joined_halves(__m256d *low, const double *high) {
    const __m256d next = _mm256_load_pd(high);
    const __m256d joined = _mm256_permute2f128_pd(*low, next, 0x21);
    *low = next;
    return joined;
}

JSA_TARGET_AVX2 __attribute__((always_inline)) static inline size_t lane_permute_loop(
    const double *x, size_t i, size_t len, size_t period, double *out, int permute_input, int permute_lag) {
    const __m256d half = _mm256_set1_pd(0.5);
    /* The aligned blocks after the first of each permuted operand: input + j and lag + j hold the
     * high halves of x[i + j, +4) and x[i + j - period, +4). */
    const double *input = x + i + 2, *lag = x + i - period + 2;
    __m256d input_low = permute_input ? _mm256_load_pd(input - 4) : _mm256_setzero_pd();
    __m256d lag_low = permute_lag ? _mm256_load_pd(lag - 4) : _mm256_setzero_pd();
    size_t count = len - i;
    if (permute_input) count = jsa_lagged_block_count(x, i, len, input);
    if (permute_lag) {
        const size_t lag_count = jsa_lagged_block_count(x, i, len, lag);
        count = lag_count < count ? lag_count : count;
    }
    const double *lagged_as_it_lies = x + i - period; /* aligned where the lag is not permuted */
    x += i;
    out += i;
    size_t j = 0;
#define PERMUTE_STEP(k)                                                                                     \
    do {                                                                                                   \
        const __m256d value = permute_input ? joined_halves(&input_low, input + j + (k)) : _mm256_load_pd(x + j + (k)); \
        const __m256d lagged =                                                                             \
            permute_lag ? joined_halves(&lag_low, lag + j + (k)) : _mm256_load_pd(lagged_as_it_lies + j + (k)); \
        _mm256_store_pd(out + j + (k), _mm256_mul_pd(_mm256_add_pd(value, lagged), half));                 \
    } while (0)
    for (; j + 16 <= count; j += 16) {
        PERMUTE_STEP(0);
        PERMUTE_STEP(4);
        PERMUTE_STEP(8);
        PERMUTE_STEP(12);
    }
    for (; j + 4 <= count; j += 4) {
        PERMUTE_STEP(0);
    }
#undef PERMUTE_STEP
    return i + j;
}

/* One function per pair of operands permuted, so that each loop has no test in its body; chosen by
 * jsa_lane_permute_main_loop (jsa_internal.h), which the AVX-512 row calls too. */
JSA_TARGET_AVX2 size_t jsa_lane_permute_lag_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out) {
    return lane_permute_loop(x, i, len, period, out, 0, 1);
}
JSA_TARGET_AVX2 size_t jsa_lane_permute_input_loop_avx2(const double *x, size_t i, size_t len, size_t period,
                                                        double *out) {
    return lane_permute_loop(x, i, len, period, out, 1, 0);
}
JSA_TARGET_AVX2 size_t jsa_lane_permute_both_loop_avx2(const double *x, size_t i, size_t len, size_t period,
                                                       double *out) {
    return lane_permute_loop(x, i, len, period, out, 1, 1);
}

/* The JSA_AVX2_LAG_RING main loop for periods of 4 * blocks - lag_offset (blocks and lag_offset
 * constants at each call site, blocks JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS), from i
 * while `unroll` vectors remain, where out + i is 32-byte aligned, i >= 4 * blocks, and one operand
 * lies on a 32-byte block while the other starts lag_offset doubles into one (so its vectors
 * alternate: inside a line, then across two): the lagged operand (`permute_input` 0, the input
 * x + i on its block, lag_offset 1-3) or the input (`permute_input` 1, 16 bytes off its block, the
 * lagged operand on one: lag_offset 2). Each aligned block of the input is loaded
 * once and kept in a ring of `blocks` registers: with the input on its block, as the input vector
 * and, `blocks` vectors later, as the high half of a lagged vector; with the input off it, as the
 * high and low halves of two input vectors and, `blocks - 1` vectors later, as a lagged vector.
 * A vector of the off-block operand that would cross a line is joined from two blocks with
 * vperm2f128 (and a vshufpd at odd lag offsets: every other such vector is loaded across the lines
 * instead, below), the others are loaded as they lie, inside their line. Per two vectors: three
 * loads, one permute, two adds, two multiplies, two aligned stores — where split loads issue two
 * loads per vector, one of four across lines, and lane-permute two loads and a permute per vector. The ring's
 * slot for block b (blocks numbered from the loop's first) is b mod blocks; the body covers a
 * multiple of both `blocks` and 2 vectors (4 at odd lag offsets), so every index is a constant, and
 * at least 8 vectors, so that a row of n = 1000 runs it at most about 30 times (below). On the AMD EPYC
 * Zen 3 guest (2026-12-07, n = 1000, period 30) the row took 1.00x memcpy's time against the split
 * loads' 1.19x and lane-permute's 1.56-1.58x (`scripts/store-limit 1000`, the host at its fast
 * level), and `into avx2` in the sweep 1.08-1.09x against 1.28-1.29x; the loads, the permutes and why,
 * docs/store-limit.md ("AMD Zen 3"). */
/* Bodies of at least 8 vectors: with bodies of 6 vectors (rings of 3 and 6 blocks, periods 10 and 22)
 * and 4 (4 blocks, period 14) the loop ran 40-61 times in a row of n = 1000, and `into avx2` there
 * took 1.111, 1.066 and 1.063x memcpy's time against 1.035-1.051 at the seven other ring periods,
 * `bare_c` (the same row called from C) 1.004, 1.108 and 1.036, `into_offset` (the input ring)
 * 1.051, 1.206 and 1.171; with bodies of 12, 12 and 8 vectors `into` 1.034, 1.031 and 1.029, `bare_c`
 * 1.004-1.007, `into_offset` 1.039-1.042, and the other periods as before (AMD EPYC Zen 3 guest,
 * 2026-12-07 11:45-11:50, `scripts/code-placement 12 1000 avx2 P`, 60-72 processes per period, the
 * host at its fast level). Which row reads slow moved with the caller and the period, not with the
 * row's own work: what a row of 40 or more trips does to the exit's prediction (the history the
 * predictor keeps) fits, but without a PMU it is not shown. Bodies of at least 16 vectors changed
 * period 30 by 0.3% and made the input ring of 12 blocks (period 46) 1.168x from 1.058x: not
 * taken. */
/* Odd periods (the lagged operand one or three doubles into its block): the two shuffles that join a
 * lagged vector across a line there bind the vector pipes beside the add and the multiply, and a
 * split load the load ports; `into avx2` at n = 1000, period 29 took 1.19x memcpy's time with every
 * such vector joined, 1.18x with one in four loaded across the lines, 1.12-1.14x with one in two,
 * 1.20-1.21x with three in four, against the split loads' 1.28-1.29x; a vpermpd and a vblendpd
 * with a broadcast load of the one element from the next block 1.21-1.22x (AMD EPYC Zen 3 guest,
 * 2026-12-07 12:10-12:23, `scripts/code-placement 12 1000 avx2 29`, the host at its fast level). So
 * one in two. */
/* Rings of one and two blocks (periods 2 and 6) took 1.21x and 1.28x memcpy's time at n = 1000 on
 * the Zen 3 guest against the split loads' 1.18-1.20x (`.build-store-limit/store-limit 1000 P`, the
 * row at each period), those of 3-12 blocks 0.96-1.00x; so rings start at three
 * (JSA_LAG_RING_MIN_BLOCKS, jsa_internal.h). */


/* The vector `lag_offset` (1-3, a constant at each call site) doubles into the aligned block `low`:
 * its last 4 - lag_offset doubles and the first lag_offset of the next block, `high`. Two doubles in:
 * one vperm2f128; one or three: that and a vshufpd (clang emits the same two for a vblendpd and a
 * vpermpd). */
JSA_TARGET_AVX2 __attribute__((always_inline)) static inline __m256d joined_blocks(__m256d low, __m256d high,
                                                                                   const size_t lag_offset) {
    const __m256d middle = _mm256_permute2f128_pd(low, high, 0x21); /* low[2], low[3], high[0], high[1] */
    if (lag_offset == 2) return middle;
    return lag_offset == 1 ? _mm256_shuffle_pd(low, middle, 0x5)   /* low[1], low[2], low[3], high[0] */
                           : _mm256_shuffle_pd(middle, high, 0x5); /* low[3], high[0], high[1], high[2] */
}

JSA_TARGET_AVX2 __attribute__((always_inline)) static inline size_t lag_ring_loop(const double *x, size_t i, size_t len,
                                                                                   double *out, const size_t blocks,
                                                                                   const size_t lag_offset,
                                                                                   const int permute_input) {
    const __m256d half = _mm256_set1_pd(0.5);
    const size_t period = 4 * blocks - lag_offset, cycle = lag_offset == 2 ? 2 : 4;
    const size_t pair = blocks % cycle == 0 ? blocks : blocks % 2 == 0 ? 2 * blocks : cycle * blocks;
    const size_t unroll = pair * ((8 + pair - 1) / pair);
    /* With the input off its block, the lagged vectors of ring slots [0, reloaded) are loaded again
     * from memory (aligned, inside a line), not kept: those slots then hold a block for the one
     * vector whose join reads it. The input ring of 11 blocks, whose body is 22 vectors, is the one
     * ring clang 21 could not keep in AVX2's 16 registers beside the constant and the loaded
     * vectors: it kept four blocks on the stack, four more stores per 22 vectors for a loop bound by
     * its stores (`into_offset avx2` at period 42, n = 1000, 1.18x memcpy's time against 1.06-1.08x
     * at periods 38 and 46). Reloading three slots left one block on the stack, four none: 41 loads
     * per 22 vectors, 20.5 cycles of loads where the stores take 22. `into_offset` at n = 1000 took
     * 1.10x memcpy's time with three slots reloaded, 1.06-1.09x with four, 1.10-1.11x with five, and
     * at 2000 1.05-1.06x, 1.04-1.07x and 1.06-1.09x against 1.15-1.16x; at 16384 0.97-1.03x all (AMD EPYC
     * Zen 3 guest, 2026-12-07 17:14-17:16, sweeps of `--sizes 1000,2000,16384 --kernels avx2
     * --period 42`, the builds alternating, three each). */
    const size_t reloaded = permute_input && blocks == 11 ? 4 : 0;
    /* The aligned blocks: the input's own (x + i + 4b), or those it starts 16 bytes into (x + i - 2
     * + 4b), whose next one a step loads ahead of its vector. */
    const double *block = permute_input ? x + i - 2 : x + i;
    const size_t ahead = permute_input ? 1 : 0;
    /* Not one iteration's room: the ring's first block (x[i - 2, i + 2) with the input off its
     * block) may lie past the row. */
    if (i + 4 * unroll + 2 * ahead > len) return i;
    __m256d ring[JSA_LAG_RING_MAX_BLOCKS];
    JSA_UNROLL_FULLY
    for (size_t slot = 0; slot < blocks; ++slot) {
        /* Input on its block: blocks -blocks .. -1. Off it: blocks -(blocks - 1) .. 0. */
        const ptrdiff_t b = (ptrdiff_t)slot - (ptrdiff_t)(slot < ahead ? 0 : blocks);
        ring[slot] = _mm256_load_pd(block + 4 * b);
    }
    x += i;
    out += i;
    block = x - 2 * ahead;
    size_t j = 0;
    for (; i + j + 4 * unroll + 2 * ahead <= len; j += 4 * unroll) {
        JSA_UNROLL_FULLY
        for (size_t v = 0; v < unroll; ++v) {
            const double *at = x + j + 4 * v;
            __m256d input, lagged;
            if (permute_input) {
                const __m256d next = _mm256_load_pd(block + j + 4 * (v + 1));
                input = v % 2 == 0 ? _mm256_loadu_pd(at) : _mm256_permute2f128_pd(ring[v % blocks], next, 0x21);
                lagged = (v + 1) % blocks < reloaded ? _mm256_load_pd(block + j + 4 * ((ptrdiff_t)v + 1 - (ptrdiff_t)blocks))
                                                     : ring[(v + 1) % blocks];
                ring[(v + 1) % blocks] = next;
            } else {
                input = _mm256_load_pd(at);
                lagged = v % 2 == 0 || (lag_offset != 2 && v % 4 == 1) ? _mm256_loadu_pd(at - period)
                                    : joined_blocks(ring[v % blocks], ring[(v + 1) % blocks], lag_offset);
                ring[v % blocks] = input;
            }
            _mm256_store_pd(out + j + 4 * v, _mm256_mul_pd(_mm256_add_pd(input, lagged), half));
        }
    }
    return i + j;
}

/* One function per ring size, lag offset and permuted operand, its loop fully unrolled: those with
 * the lagged operand two doubles off its block, then those with the input off it (and at the end of
 * the file those with the lagged operand one or three off). Each on a 256-byte boundary, a placement
 * chosen by measurement: on 64-byte ones (the build's default) the processes whose executable ASLR
 * loaded at page 0 or 2 of 64 KiB ran `into avx2` at n = 1000 in 1.23-1.29x memcpy's time and
 * `bare_c avx2` in 1.20-1.23x, against 1.044 and 1.016 at the other 14 pages (30 of 218 processes
 * in two sets of 30 sweeps), on 256-byte ones no page apart of 16 (131 processes; AMD EPYC Zen 3
 * guest, 2026-12-07, the sweeps of scripts/code-placement; a C driver linking these objects alike).
 * What aliases within the kernels' code is not known (docs/measuring.md, "Address-space layout"). */
#define JSA_RING_LOOP(name, blocks, lag_offset, permute_input)                                                      \
    JSA_TARGET_AVX2 __attribute__((noinline, aligned(256))) static size_t name##_##blocks##_avx2(                    \
        const double *x, size_t i, size_t len, double *out) {                                                       \
        return lag_ring_loop(x, i, len, out, blocks, lag_offset, permute_input);                                    \
    }
#define JSA_LAG_RING_LOOP(blocks) JSA_RING_LOOP(lag_ring_loop, blocks, 2, 0)
#define JSA_INPUT_RING_LOOP(blocks) JSA_RING_LOOP(input_ring_loop, blocks, 2, 1)
JSA_FOR_EACH_LAG_RING_SIZE(JSA_LAG_RING_LOOP)
JSA_FOR_EACH_LAG_RING_SIZE(JSA_INPUT_RING_LOOP)
#undef JSA_LAG_RING_LOOP
#undef JSA_INPUT_RING_LOOP

/* The ring loop where it applies — out + i on a 32-byte block, a period of 4k + 2 with a ring of
 * JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS blocks, the input on its block and the lagged operand two doubles
 * into one or the other way round, and room for the ring before x + i — after one vector with a
 * split load where the first vector of the off-block operand would cross a line; elsewhere the ring
 * of odd periods or of periods of 4k where one of those applies; returns where it stopped (i where
 * none applies). Inlined into the row: called, with its frame, the row took
 * 87.5-87.8 ns at n = 1000, period 30, against 86.8-87.3 inlined (AMD EPYC Zen 3 guest, 2026-12-07,
 * a standalone driver timing jsa_row_variant_avx2 against memcpy, best of 30 rounds, three runs of
 * each at the host's fast level). */
/* The ring loops at odd periods and at periods of 4k with the input off its block (below). */
JSA_TARGET_AVX2 static size_t odd_lag_ring_main_loop_avx2(const double *x, size_t i, size_t len, size_t period,
                                                          double *out);
JSA_TARGET_AVX2 static size_t vector_ring_dispatch(const double *x, size_t i, size_t len, size_t period, double *out);
JSA_TARGET_AVX2 static size_t offset_odd_ring_main_loop_avx2(const double *x, size_t i, size_t len, size_t period,
                                                             double *out);

JSA_TARGET_AVX2 __attribute__((always_inline)) static inline size_t lag_ring_main_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out) {
    const size_t blocks = (period + 2) / 4;
    const uintptr_t input = (uintptr_t)(x + i) & 31u;
    if (((uintptr_t)(out + i) & 31u) != 0 || ((uintptr_t)x & 7u) != 0 || (input != 0 && input != 16) ||
        period % 4 != 2 || blocks < JSA_LAG_RING_MIN_BLOCKS || blocks > JSA_LAG_RING_MAX_BLOCKS || i < period + 2 ||
        i + 4 > len) {
        /* Odd periods, and periods of 4k with the input off its block or in rows below
         * jsa_avx2_vector_ring_below() (the L1d), in functions of their own after the row's code.
         * Dispatched beside the even ones, period 30 read 1.054x memcpy against 1.043x (the host
         * fast, 12:14-12:19, the sweeps of scripts/code-placement); from here and placed last,
         * 1.046-1.049x, and paired with the build before either (`jsa-bench gate --baseline-exec`,
         * 16 rounds, 12:50) 1.005x its time (CI 1.005-1.009). */
        return period % 2 != 0 ? odd_lag_ring_main_loop_avx2(x, i, len, period, out)
               : period % 4 == 0 && (input != 0 || len * sizeof(double) < jsa_avx2_vector_ring_below_inline())
                   ? vector_ring_dispatch(x, i, len, period, out)
                   : i;
    }
    const int permute_input = input == 16;
    const double *off_block = permute_input ? x + i : x + i - period;
    if (((uintptr_t)off_block & 63u) == 48) {
        _mm256_store_pd(out + i, vector_at(x, i, period));
        i += 4;
    }
    /* A switch of direct calls: called through a table of function pointers instead, `into avx2`
     * at n = 1000, period 30, took 104.5 ns per call against 95.8 with the lag ring alone, in five
     * alternating sweeps on the Zen 3 guest (2026-12-07; `bare_c` 92.1-92.4 in both builds, other
     * periods alike); with the switch 97.1. Not understood: the code's layout, or the prediction of
     * the indirect call from the Swift API's path. */
#define JSA_RING_CASE(blocks)                                                                                       \
    case blocks:                                                                                                    \
        return permute_input ? input_ring_loop_##blocks##_avx2(x, i, len, out) : lag_ring_loop_##blocks##_avx2(x, i, len, out);
    switch (blocks) {
        JSA_FOR_EACH_LAG_RING_SIZE(JSA_RING_CASE)
    default:
        return i;
    }
#undef JSA_RING_CASE
}

/* The streaming loop over `pages` stretches of 4 KiB (512 doubles) written interleaved, 64 bytes of
 * each in turn (jsa_streaming_pages), from i while a whole group of stretches remains; returns where
 * it stopped. out + i is 32-byte aligned, and so is every store. */
JSA_TARGET_AVX2 static size_t interleaved_streaming_loop(const double *x, size_t i, size_t len, size_t period,
                                                         double *out, size_t pages) {
    const __m256d half = _mm256_set1_pd(0.5);
    const size_t stretch = 4096 / sizeof(double);
    const size_t group = pages * stretch;
    for (; i + group <= len; i += group) {
        for (size_t line = 0; line < stretch; line += 8) {
            for (size_t s = 0; s < pages; ++s) {
                const size_t j = i + s * stretch + line;
                const __m256d low = _mm256_add_pd(_mm256_loadu_pd(x + j), _mm256_loadu_pd(x + j - period));
                const __m256d high = _mm256_add_pd(_mm256_loadu_pd(x + j + 4), _mm256_loadu_pd(x + j + 4 - period));
                _mm256_stream_pd(out + j, _mm256_mul_pd(low, half));
                _mm256_stream_pd(out + j + 4, _mm256_mul_pd(high, half));
            }
        }
    }
    return i;
}

JSA_TARGET_AVX2 size_t jsa_streaming_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out) {
    const size_t pages = jsa_streaming_pages_inline();
    if (pages > 1 && len * sizeof(double) >= jsa_interleaved_streaming_threshold_inline()) {
        i = interleaved_streaming_loop(x, i, len, period, out, pages);
    }
    i = main_loop(x, i, len, period, out, 1);
    _mm_sfence();  /* the streamed lines reach memory before anything stored after them */
    return i;
}

/* One row; inlined into both entry points, so that each is AVX2 code itself (check-isa). Rows of
 * at least `streaming_from` bytes are written with streaming stores (jsa_streaming_threshold). */
JSA_TARGET_AVX2 JSA_SCALAR_FUNCTION __attribute__((always_inline))
static inline void row_avx2(const double *x, size_t len, size_t first, size_t period, double *out,
                            size_t streaming_from, jsa_avx2_variant variant) {
    size_t i = jsa_nan_head_256(out, first + period);

    /* Peel up to 3 elements so that the main loop's stores are 32-byte aligned (an unaligned
     * 256-bit store that crosses a cache line costs two). Where a whole vector fits and the output
     * lies on 8 bytes, it is computed and stored unaligned, and the main loop starts at the next
     * aligned element, writing the overlap again with the same values; else one element at a time
     * (to the end of the row where the output does not lie on 8 bytes). With this and the head's
     * last NaNs as one vector, against both one element at a time, `into avx2` at n = 1000 took
     * 1.041x memcpy's time at period 30 against 1.050x, `bare_c` 1.014x against 1.023x, and 0.7-1.6%
     * less at periods 14, 22, 29, 42 and 46; at period 32, which needs neither, 0.6% more (medians
     * over six code layouts, one or two sweeps each; AMD EPYC Zen 3 guest, 2026-12-07, docs/store-limit.md
     * "A peel, judged over code layouts"). */
    const size_t misaligned = (uintptr_t)(out + i) & 31u;
    if (misaligned != 0 && misaligned % sizeof(double) == 0 && i + 4 <= len) {
        _mm256_storeu_pd(out + i, vector_at(x, i, period));
        i += (32 - misaligned) / sizeof(double);
    }
    JSA_SCALAR_LOOP
    for (; i < len && ((uintptr_t)(out + i) & 31u) != 0; ++i) {
        out[i] = (x[i] + x[i - period]) * 0.5;
    }

    /* Where JSA_AVX2_LAG_RING's rows that the ring does not take change from split loads to lane
     * permutes, on the AMD EPYC Zen 3 guest (family 0x19 model 0x01, L1d
     * 32 KiB; 2026-12-07, a standalone driver timing both rows against memcpy at period 30 with the
     * output at 16 offsets 0-3840 bytes from the input's page offset, best of 15 interleaved rounds,
     * mean over the offsets): split loads over lane permutes 1.20x against 1.59x memcpy's time at n =
     * 1000, 1.26 against 1.59 at 2048, 1.26 against 1.51 at 2100, 1.24 against 1.21 at 2500, 1.13
     * against 1.06 at 3000, 1.03 against 0.97 at 8192; so the permutes from five eighths of the L1d
     * (n = 2560 there). */
    if (len * sizeof(double) >= streaming_from && ((uintptr_t)(out + i) & 31u) == 0) {
        i = jsa_streaming_loop_avx2(x, i, len, period, out);
    } else {
        if (variant == JSA_AVX2_LAG_RING) {
            i = lag_ring_main_loop_avx2(x, i, len, period, out);
        }
        if (variant == JSA_AVX2_LANE_PERMUTE ||
            (variant == JSA_AVX2_LAG_RING && len * sizeof(double) >= jsa_avx2_permute_from_inline())) {
            i = jsa_lane_permute_main_loop(x, i, len, period, out);
        }
        i = main_loop(x, i, len, period, out, 0);
    }
    if (i + 4 <= len) {
        _mm256_storeu_pd(out + i, vector_at(x, i, period));
        i += 4;
    }
    JSA_SCALAR_LOOP
    for (; i < len; ++i) {
        out[i] = (x[i] + x[i - period]) * 0.5;
    }
}

JSA_TARGET_AVX2 JSA_SCALAR_FUNCTION
int jsa_row_avx2(const double *x, size_t len, size_t first, size_t period, double *out) {
    row_avx2(x, len, first, period, out, jsa_streaming_threshold_inline(), jsa_avx2_variant_inline());
    return 0;
}

JSA_TARGET_AVX2 JSA_SCALAR_FUNCTION
int jsa_row_variant_avx2(jsa_avx2_variant variant, const double *x, size_t len, size_t first, size_t period,
                         double *out) {
    row_avx2(x, len, first, period, out, jsa_streaming_threshold_inline(), variant);
    return 0;
}

JSA_TARGET_AVX2 JSA_SCALAR_FUNCTION
void jsa_rows_avx2(const double *x, size_t len, size_t first, size_t period_start,
                   ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    /* The whole batch decides: rows that each fit the cache still overflow it together. */
    const size_t streaming_from = batch_bytes >= jsa_streaming_threshold_inline() ? 0 : SIZE_MAX;
    const jsa_avx2_variant variant = jsa_avx2_variant_inline();
    size_t period = period_start;
    JSA_SCALAR_LOOP
    for (size_t r = 0; r < rows; ++r, period += (size_t)period_step) {
        row_avx2(x, len, first, period, out + r * len, streaming_from, variant);
    }
}

#define JSA_LAG1_RING_LOOP(blocks) JSA_RING_LOOP(lag1_ring_loop, blocks, 1, 0)
#define JSA_LAG3_RING_LOOP(blocks) JSA_RING_LOOP(lag3_ring_loop, blocks, 3, 0)
JSA_FOR_EACH_LAG_RING_SIZE(JSA_LAG1_RING_LOOP)
JSA_FOR_EACH_LAG_RING_SIZE(JSA_LAG3_RING_LOOP)
#undef JSA_LAG1_RING_LOOP
#undef JSA_LAG3_RING_LOOP
#undef JSA_RING_LOOP

/* The ring loop where it applies at odd periods — out + i and x + i on 32-byte blocks, a period
 * of 4 * blocks - 1 or - 3 with JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS blocks (9-47),
 * and room for the ring before x + i — after one vector with a split load where the first lagged
 * vector would cross a line; returns where it stopped (i where it does not apply). On the AMD EPYC
 * Zen 3 guest `into avx2` took 1.12-1.18x memcpy's time at n = 1000 (periods 9, 29, 31, 45, 47)
 * against the split loads' 1.27-1.31x, 1.08-1.12x at 2000 against 1.30-1.33x, 0.98-0.99x at 16384
 * against 1.04-1.07x, and the same within the L3's noise at 100000 and 1048576 (2026-12-07
 * 12:23-12:29, sweeps of `--sizes 1000,2000,16384,100000,1048576 --kernels avx2 --period P`, the
 * two builds alternating, three each). With x + i 16 bytes off its block it hands the row to
 * offset_odd_ring_main_loop_avx2 (below). */
JSA_TARGET_AVX2 __attribute__((noinline)) static size_t odd_lag_ring_main_loop_avx2(const double *x, size_t i, size_t len, size_t period, double *out) {
    const size_t blocks = (period + 3) / 4;
    if (((uintptr_t)(x + i) & 31u) == 16) return offset_odd_ring_main_loop_avx2(x, i, len, period, out);
    if (((uintptr_t)(out + i) & 31u) != 0 || ((uintptr_t)(x + i) & 31u) != 0 || blocks < JSA_LAG_RING_MIN_BLOCKS ||
        blocks > JSA_LAG_RING_MAX_BLOCKS || i < 4 * blocks || i + 4 > len) {
        return i;
    }
    if (((uintptr_t)(x + i - period) & 63u) > 32) {
        _mm256_store_pd(out + i, vector_at(x, i, period));
        i += 4;
    }
#define JSA_RING_CASES(blocks)                                                                                      \
    case 4 * blocks - 3:                                                                                            \
        return lag3_ring_loop_##blocks##_avx2(x, i, len, out);                                                      \
    case 4 * blocks - 1:                                                                                            \
        return lag1_ring_loop_##blocks##_avx2(x, i, len, out);
    switch (period) {
        JSA_FOR_EACH_LAG_RING_SIZE(JSA_RING_CASES)
    default:
        return i;
    }
#undef JSA_RING_CASES
}

/* The ring at periods of 4 * vectors (`vectors` a constant at each call site, JSA_LAG_RING_MIN_BLOCKS
 * to JSA_LAG_RING_MAX_BLOCKS: periods 12-48), from i while `unroll` vectors remain, where out + i is
 * 32-byte aligned and i >= period: the lagged vector is the input vector `vectors` vectors before,
 * so each input vector is loaded once, as it lies, and kept in a ring of `vectors` registers until
 * it serves as the lagged one. Per vector one load (across two lines for every other one where the
 * input lies 16 bytes off its line), an add, a multiply and an aligned store. With the input 16
 * bytes off its line, where split loads load both operands across lines, `into_offset avx2` took
 * 1.00-1.06x memcpy's time at n = 1000 against 1.33-1.52x, 0.98-1.03x at 2000 against 1.57-1.58x,
 * 1.00-1.03x at 16384 against 1.22-1.28x, and the same within the L3's noise at 100000 and 1048576
 * (periods 12, 20, 32, 48; AMD EPYC Zen 3 guest, 2026-12-07 12:40-12:45, sweeps of `--sizes
 * 1000,2000,16384,100000,1048576 --kernels avx2 --period P`, the builds alternating, three each).
 * With the input on its block the lagged vector lies on a block too, and the plain loop loads both
 * aligned; the ring's one load a vector pays below the L1d's size, and most where the row's input
 * and output overflow the L1d: there every line comes from the L2, and two aligned load streams
 * took 1.25x memcpy's time at n = 2500 and 1.13x at 3000 against a copy loop's 0.99x and 1.01x (a
 * standalone driver, period 30, the host at its fast level). `into avx2` at periods 32 and 12 took with the ring
 * 0.841x and 0.858x the plain loop's time at n = 2500, 0.896-0.897x at 3000, 0.911-0.926x at 2000,
 * 0.954-0.991x at 1000 and 0.989-0.993x at 4000, lower in every one of six code layouts at each, and
 * the same at 8000 and 16384 (1.000-1.001x), where the driver had read the ring 3% slower: so rows
 * of an output below the L1d's size (jsa_avx2_vector_ring_below) run it. Period 32 then read 1.026x
 * memcpy at n = 1000, 0.979x at 2000, 1.067x at 2500, 1.021x at 3000 and 0.995x at 4000, against
 * 1.036x, 1.058x, 1.265x, 1.141x and 1.006x (medians over the layouts; AMD EPYC Zen 3 guest,
 * 2026-12-07 23:25-23:35, `PERIODS="32 12 30" scripts/layout-ab HEAD -- --sizes
 * 1000,2000,2500,3000,4000,8000,16384 --kernels avx2`; period 30 within 0.2%). Bounded so and
 * judged one build against one, the same ring had read 1.5-3.5% slower at n = 1000: a code layout,
 * not the ring (docs/store-limit.md, "Periods of 4k"). */
JSA_TARGET_AVX2 __attribute__((always_inline)) static inline size_t vector_ring_loop(const double *x, size_t i, size_t len,
                                                                                     double *out, const size_t vectors) {
    const __m256d half = _mm256_set1_pd(0.5);
    const size_t unroll = vectors * ((8 + vectors - 1) / vectors);
    if (i + 4 * unroll > len) return i;
    __m256d ring[JSA_LAG_RING_MAX_BLOCKS];
    JSA_UNROLL_FULLY
    for (size_t slot = 0; slot < vectors; ++slot) {
        ring[slot] = _mm256_loadu_pd(x + i - 4 * vectors + 4 * slot);
    }
    x += i;
    out += i;
    size_t j = 0;
    for (; i + j + 4 * unroll <= len; j += 4 * unroll) {
        JSA_UNROLL_FULLY
        for (size_t v = 0; v < unroll; ++v) {
            const __m256d input = _mm256_loadu_pd(x + j + 4 * v);
            const __m256d lagged = ring[v % vectors];
            ring[v % vectors] = input;
            _mm256_store_pd(out + j + 4 * v, _mm256_mul_pd(_mm256_add_pd(input, lagged), half));
        }
    }
    return i + j;
}

/* The ring at odd periods 4 * vectors - lag_offset (lag_offset 1 or 3 and `vectors`, 3-12, constants
 * at each call site: periods 9-47) with the input 16 bytes off its line, from i while `unroll`
 * vectors remain, where out + i is 32-byte aligned, i >= 4 * vectors, and x + i lies at byte 16 of a
 * line (the caller peels a vector where it lies at 48). The even input vectors then lie within a
 * line and are loaded as they lie; the odd ones cross one and are joined from the two aligned blocks
 * they lie across (one vperm2f128). The lagged vector lies one or three doubles off its block and
 * crosses a line where the input vector `distance` before it did (distance = vectors, or vectors - 1
 * at lag_offset 3); it is then one vshufpd of that input vector and the block beside it (an input
 * vector lies two doubles off its block, so the two are an odd number of doubles apart), built when
 * they were loaded and kept in a ring of ceil(distance / 2) registers. The others are loaded as they
 * lie. Per two vectors four loads, none across a line, a vperm2f128 and a vshufpd.
 * `into_offset avx2` at n = 1000, periods 29 and 31, against the split loads' 1.53-1.56x memcpy's
 * time: this loop 1.18-1.22x; every input loaded as it lies and each crossing lagged vector joined
 * from two input vectors in a ring (joined_blocks, two shuffles) 1.24-1.29x; one crossing lagged
 * vector in two joined so and the other loaded across the lines 1.33-1.35x; every lagged vector
 * joined so 1.60-1.61x; each crossing one a vshufpd of a ring input vector and an aligned block
 * loaded for it 1.34-1.36x; every lagged vector a vshufpd from a ring (three loads and three
 * shuffles per two vectors) 1.30-1.38x (AMD EPYC Zen 3 guest, 2026-12-07 14:38-14:58, sweeps of
 * `--sizes 1000,2000,16384 --kernels avx2 --period P`, the builds alternating, three each). */
JSA_TARGET_AVX2 __attribute__((always_inline)) static inline size_t offset_odd_ring_loop(const double *x, size_t i,
                                                                                         size_t len, double *out,
                                                                                         const size_t vectors,
                                                                                         const size_t lag_offset) {
    const __m256d half = _mm256_set1_pd(0.5);
    const size_t period = 4 * vectors - lag_offset, distance = lag_offset == 1 ? vectors : vectors - 1;
    const size_t slots = (distance + 1) / 2, unroll = 2 * slots * ((8 + 2 * slots - 1) / (2 * slots));
    /* The ring slot of the lagged vector built from odd input vector w (w >= -distance). */
#define JSA_SLOT(w) ((size_t)(((ptrdiff_t)(w) + 4 * (ptrdiff_t)slots - 1) / 2) % slots)
    /* The last odd vector's second block ends 2 doubles past its vector. */
    if (i + 4 * unroll + 2 > len) return i;
    __m256d ring[(JSA_LAG_RING_MAX_BLOCKS + 1) / 2]; /* slots <= ceil(vectors / 2) */
    x += i;
    out += i;
    JSA_UNROLL_FULLY
    for (ptrdiff_t w = 1 - 2 * (ptrdiff_t)slots; w < 0; w += 2) {
        /* The odd input vectors from `distance` before x + i on, and the block each shuffle takes: all
         * at or after x + i - 4 * vectors, within the array as i >= 4 * vectors. */
        const __m256d input = _mm256_loadu_pd(x + 4 * w);
        ring[JSA_SLOT(w)] = lag_offset == 1 ? _mm256_shuffle_pd(input, _mm256_load_pd(x + 4 * w + 2), 0x5)
                                            : _mm256_shuffle_pd(_mm256_load_pd(x + 4 * w - 2), input, 0x5);
    }
    size_t j = 0;
    for (; i + j + 4 * unroll + 2 <= len; j += 4 * unroll) {
        JSA_UNROLL_FULLY
        for (size_t v = 0; v < unroll; ++v) {
            const double *at = x + j + 4 * v;
            const ptrdiff_t from = (ptrdiff_t)v - (ptrdiff_t)distance;
            const __m256d lagged = from % 2 != 0 ? ring[JSA_SLOT(from)] : _mm256_loadu_pd(at - period);
            __m256d input;
            if (v % 2 == 0) {
                input = _mm256_loadu_pd(at);
            } else {
                const __m256d low = _mm256_load_pd(at - 2), high = _mm256_load_pd(at + 2);
                input = _mm256_permute2f128_pd(low, high, 0x21);
                ring[JSA_SLOT(v)] = lag_offset == 1 ? _mm256_shuffle_pd(input, high, 0x5) : _mm256_shuffle_pd(low, input, 0x5);
            }
            _mm256_store_pd(out + j + 4 * v, _mm256_mul_pd(_mm256_add_pd(input, lagged), half));
        }
    }
#undef JSA_SLOT
    return i + j;
}

#define JSA_VECTOR_RING_LOOP(vectors)                                                                               \
    JSA_TARGET_AVX2 __attribute__((noinline, aligned(256))) static size_t vector_ring_loop_##vectors##_avx2(         \
        const double *x, size_t i, size_t len, double *out) {                                                       \
        return vector_ring_loop(x, i, len, out, vectors);                                                           \
    }
#define JSA_OFFSET_ODD_RING_LOOP(vectors)                                                                           \
    JSA_TARGET_AVX2 __attribute__((noinline, aligned(256))) static size_t lag1_offset_ring_loop_##vectors##_avx2(    \
        const double *x, size_t i, size_t len, double *out) {                                                       \
        return offset_odd_ring_loop(x, i, len, out, vectors, 1);                                                    \
    }                                                                                                               \
    JSA_TARGET_AVX2 __attribute__((noinline, aligned(256))) static size_t lag3_offset_ring_loop_##vectors##_avx2(    \
        const double *x, size_t i, size_t len, double *out) {                                                       \
        return offset_odd_ring_loop(x, i, len, out, vectors, 3);                                                    \
    }
JSA_FOR_EACH_LAG_RING_SIZE(JSA_VECTOR_RING_LOOP)
JSA_FOR_EACH_LAG_RING_SIZE(JSA_OFFSET_ODD_RING_LOOP)
#undef JSA_VECTOR_RING_LOOP
#undef JSA_OFFSET_ODD_RING_LOOP

/* The vector ring where it applies — out + i on a 32-byte block, x + i at any offset (the
 * caller sends a row with x + i on its block only below jsa_avx2_vector_ring_below()), and a period
 * of 4 * vectors with JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS vectors; returns where it
 * stopped (i where it does not apply). A dispatcher with no vector code of its own, so named
 * without the _avx2 that scripts/check-isa holds to packed arithmetic. */
JSA_TARGET_AVX2 __attribute__((noinline)) static size_t vector_ring_dispatch(const double *x, size_t i, size_t len,
                                                                           size_t period, double *out) {
    if (((uintptr_t)(out + i) & 31u) != 0 || period % 4 != 0 || i < period || i + 4 > len) {
        return i;
    }
#define JSA_VECTOR_RING_CASE(vectors)                                                                               \
    case vectors:                                                                                                   \
        return vector_ring_loop_##vectors##_avx2(x, i, len, out);
    switch (period / 4) {
        JSA_FOR_EACH_LAG_RING_SIZE(JSA_VECTOR_RING_CASE)
    default:
        return i;
    }
#undef JSA_VECTOR_RING_CASE
}

/* The odd rings for an input off its block where they apply — out + i on a 32-byte block, x + i 16
 * bytes off one, and a period of 4 * vectors - 1 or - 3 with JSA_LAG_RING_MIN_BLOCKS to
 * JSA_LAG_RING_MAX_BLOCKS vectors (9-47) — after one vector with split loads where the input lies at
 * byte 48 of its line; returns where it stopped (i where none applies). Reached from
 * odd_lag_ring_main_loop_avx2 alone, so that clang places it and its loops after the rows' ring
 * loops and leaves those where they were (reached from vector_ring_dispatch, which the row calls,
 * it moved them 512 bytes on). Paired with the build before it (`jsa-bench gate --baseline-exec`,
 * 16 rounds, 2026-12-07 15:22), period 30's `into avx2` took 1.005x its time at n = 1000 (95% CI
 * 1.000-1.016) and `bare_c avx2` 1.001x (0.995-1.010). It shares its shape with
 * odd_lag_ring_main_loop_avx2, but the two stay apart: one dispatcher for both, placed here and
 * choosing each ring loop by the input's offset, took 1.002-1.005x the time of these two at odd
 * periods (`into`, `into_offset` and `bare_c` avx2 at periods 29 and 31, n = 1000 and 2000,
 * medians over six code layouts; `into` at period 29, n = 2000, slower in all six) and moved the
 * even rings' loops 256 bytes on, where `into_aliased` at period 30, n = 2000, took 1.018x (slower
 * in all six) (AMD EPYC Zen 3 guest, 2026-12-07 20:33-20:40, `PERIODS="29 31 30" scripts/layout-ab
 * HEAD -- --sizes 1000,2000 --kernels avx2`). */
JSA_TARGET_AVX2 __attribute__((noinline)) static size_t offset_odd_ring_main_loop_avx2(const double *x, size_t i,
                                                                                      size_t len, size_t period,
                                                                                      double *out) {
    const size_t vectors = (period + 3) / 4;
    if (((uintptr_t)(out + i) & 31u) != 0 || ((uintptr_t)(x + i) & 31u) != 16 || period % 2 == 0 || i < 4 * vectors ||
        i + 4 > len) {
        return i;
    }
    if (((uintptr_t)(x + i) & 63u) == 48) {
        _mm256_store_pd(out + i, vector_at(x, i, period));
        i += 4;
    }
#define JSA_OFFSET_ODD_RING_CASES(vectors)                                                                          \
    case 4 * vectors - 1:                                                                                           \
        return lag1_offset_ring_loop_##vectors##_avx2(x, i, len, out);                                              \
    case 4 * vectors - 3:                                                                                           \
        return lag3_offset_ring_loop_##vectors##_avx2(x, i, len, out);
    switch (period) {
        JSA_FOR_EACH_LAG_RING_SIZE(JSA_OFFSET_ODD_RING_CASES)
    default:
        return i;
    }
#undef JSA_OFFSET_ODD_RING_CASES
}

#undef JSA_FOR_EACH_LAG_RING_SIZE

#endif /* JSA_HAVE_X86_KERNELS */

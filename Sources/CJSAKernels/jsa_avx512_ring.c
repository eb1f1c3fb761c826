/* JSA_AVX512_YMM_RING's own row for odd periods: a ring of the input's 32-byte blocks in registers
 * with every lagged vector joined from two of them by one valignq (AVX-512VL, 256-bit code
 * throughout). The avx512 kernel's entry points (jsa_avx512.c) jump to it below
 * jsa_valignq_ring_below(). */
#include "jsa_kernels.h"

#if JSA_HAVE_X86_KERNELS
#include <immintrin.h>
#include <stdint.h>
#include "jsa_internal.h"

#define JSA_TARGET_AVX512VL __attribute__((target("avx512f,avx512vl")))

/* The ring at odd periods 4q - r (r = 1 or 3, q = JSA_LAG_RING_MIN_BLOCKS to JSA_LAG_RING_MAX_BLOCKS:
 * 9-47, constants at each call site) for JSA_AVX512_YMM_RING, from i while `unroll` vectors remain,
 * where x + i and out + i lie on 32-byte blocks and i >= 4q: each aligned block of the input loaded
 * once and kept in a ring of q registers, and each lagged vector — r doubles into the block q
 * before — joined from two of them with one valignq: one load, one shuffle and one store a vector.
 * The ring is kept in integer vectors, as ymm_alignr's blocks are: written on doubles cast to
 * integers, clang 21 turned each odd valignq into vperm2f128 and vshufpd, two shuffles a vector
 * (1.30-1.33x memcpy's time at n = 1000 against 0.95-0.96x; docs/store-limit.md, "The rings within
 * the L1d"). The body is at least 16 vectors: with 8 (q = 8, period 29) the row took 81.8 ns at
 * n = 1000 against 71.7 with 16, memcpy 75.3 (`scripts/store-limit 1000` at period 29, best of 40
 * rounds, AMD EPYC Zen 4 guest, 2026-12-08). Returns where it stopped. */
JSA_TARGET_AVX512VL __attribute__((always_inline)) static inline size_t valignq_ring_loop(const double *x, size_t i,
                                                                                         size_t len, double *out,
                                                                                         const size_t q, const int r) {
    const __m256d half = _mm256_set1_pd(0.5);
    const size_t unroll = q * ((16 + q - 1) / q);
    if (i < 4 * q || i + 4 * unroll > len) return i;
    __m256i ring[JSA_LAG_RING_MAX_BLOCKS];
    JSA_UNROLL_FULLY
    for (size_t slot = 0; slot < q; ++slot) {
        ring[slot] = _mm256_load_si256((const __m256i *)(x + i - 4 * q + 4 * slot)); /* blocks -q .. -1 */
    }
    for (; i + 4 * unroll <= len; i += 4 * unroll) {
        JSA_UNROLL_FULLY
        for (size_t v = 0; v < unroll; ++v) {
            /* Slot v % q holds block v - q, slot (v + 1) % q block v - q + 1. */
            const __m256i input = _mm256_load_si256((const __m256i *)(x + i + 4 * v));
            const __m256i lagged = r == 1 ? _mm256_alignr_epi64(ring[(v + 1) % q], ring[v % q], 1)
                                          : _mm256_alignr_epi64(ring[(v + 1) % q], ring[v % q], 3);
            ring[v % q] = input;
            const __m256d sum = _mm256_add_pd(_mm256_castsi256_pd(input), _mm256_castsi256_pd(lagged));
            _mm256_store_pd(out + i + 4 * v, _mm256_mul_pd(sum, half));
        }
    }
    return i;
}

/* x[i .. i + 4) + x[i - period ..) halved, loaded as they lie: the 256-bit row's lead-in and tail. */
JSA_TARGET_AVX512VL __attribute__((always_inline)) static inline __m256d ymm_vector_at(const double *x, size_t i,
                                                                                      size_t period) {
    return _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(x + i - period)), _mm256_set1_pd(0.5));
}

/* JSA_AVX512_YMM_RING's row at odd periods 9-47 with x on 8 bytes and as aligned as out modulo 32
 * bytes (the entry sends no other), all 256-bit: the head's NaNs, a peel of one unaligned vector that
 * puts out + i (and so x + i) on a 32-byte block, vectors as they lie
 * until i >= 4q, the valignq ring, and the rest as the lead-in. A row of its own that the entry
 * jumps to, as to JSA_AVX2_LAG_RING's row at the other periods (jsa_avx512.c, ring_row, says why); in
 * a file of its own, so that clang jumps to it from there rather than calling it, as it calls a
 * function whose body shows it returns 0, and the entry saves no register first. */
JSA_TARGET_AVX512VL JSA_SCALAR_FUNCTION
int jsa_valignq_ring_row_avx512vl(const double *x, size_t len, size_t first, size_t period, double *out) {
    size_t i = jsa_nan_head_256(out, first + period);
    const size_t misaligned = (uintptr_t)(out + i) & 31u;
    if (misaligned != 0 && i + 4 <= len) {
        _mm256_storeu_pd(out + i, ymm_vector_at(x, i, period));
        i += (32 - misaligned) / sizeof(double);
    }
    const size_t q = (period + 3) / 4;
    for (; i < 4 * q && i + 4 <= len; i += 4) {
        _mm256_store_pd(out + i, ymm_vector_at(x, i, period));
    }
#define JSA_VALIGNQ_RING_CASES(blocks)                                                                              \
    case 4 * blocks - 3:                                                                                            \
        i = valignq_ring_loop(x, i, len, out, blocks, 3);                                                           \
        break;                                                                                                      \
    case 4 * blocks - 1:                                                                                            \
        i = valignq_ring_loop(x, i, len, out, blocks, 1);                                                           \
        break;
    switch (period) {
        JSA_FOR_EACH_LAG_RING_SIZE(JSA_VALIGNQ_RING_CASES)
    default:
        break;
    }
#undef JSA_VALIGNQ_RING_CASES
    for (; i + 4 <= len; i += 4) {
        _mm256_storeu_pd(out + i, ymm_vector_at(x, i, period));
    }
    JSA_SCALAR_LOOP
    for (; i < len; ++i) {
        out[i] = (x[i] + x[i - period]) * 0.5;
    }
    return 0;
}

#endif /* JSA_HAVE_X86_KERNELS */

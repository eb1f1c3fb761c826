/* The output sizes at which the variants that choose their loop by size change it (see
 * jsa_kernels.h): JSA_AVX512_ZMM_PERMUTE's permute threshold, from which every lagged vector is
 * permuted, and its 256-bit window, in which the rows run JSA_AVX512_YMM_ALIGNR's loop instead;
 * the size from which JSA_AVX2_LAG_RING's rows that its ring does not take run
 * JSA_AVX2_LANE_PERMUTE's loop (split loads below); and the size below which its rows at periods
 * of 4q with the input on its block run the ring of input vectors (two aligned loads a vector
 * beyond); and the sizes below which JSA_AVX512_YMM_RING calls run JSA_AVX2_LAG_RING's row, and at odd
 * periods its own valignq ring's. The kernels read them through the inline readers of jsa_internal.h. */
#include "jsa_kernels.h"
#include "jsa_internal.h"

#include <stdatomic.h>
#include <stdint.h>

_Atomic size_t jsa_permute_threshold_plus_one = 0;
_Atomic size_t jsa_ymm_window_start_plus_one = 0;
_Atomic size_t jsa_ymm_window_end_plus_one = 0;
_Atomic size_t jsa_avx2_permute_from_plus_one = 0;
_Atomic size_t jsa_avx2_vector_ring_below_plus_one = 0;
_Atomic size_t jsa_ymm_ring_below_plus_one = 0;
_Atomic size_t jsa_valignq_ring_below_plus_one = 0;

size_t jsa_permute_threshold_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? SIZE_MAX : l1d_bytes / 2;
}

size_t jsa_ymm_window_start_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? SIZE_MAX : l1d_bytes / 4 * 3;
}

size_t jsa_ymm_window_end_for_l2(size_t l2_bytes, int has_avx512vl) {
    return l2_bytes == SIZE_MAX || !has_avx512vl ? 0 : l2_bytes / 8;
}

size_t jsa_avx2_permute_from_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? SIZE_MAX : l1d_bytes / 8 * 5;
}

size_t jsa_avx2_vector_ring_below_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? 0 : l1d_bytes;
}

size_t jsa_ymm_ring_below_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? 0 : l1d_bytes / 64 * 35;
}

size_t jsa_valignq_ring_below_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? 0 : l1d_bytes / 2;
}

size_t jsa_permute_threshold(void) {
    return jsa_permute_threshold_inline();
}

size_t jsa_ymm_window_start(void) {
    return jsa_ymm_window_start_inline();
}

size_t jsa_ymm_window_end(void) {
    return jsa_ymm_window_end_inline();
}

size_t jsa_avx2_permute_from(void) {
    return jsa_avx2_permute_from_inline();
}

size_t jsa_avx2_vector_ring_below(void) {
    return jsa_avx2_vector_ring_below_inline();
}

size_t jsa_ymm_ring_below(void) {
    return jsa_ymm_ring_below_inline();
}

size_t jsa_valignq_ring_below(void) {
    return jsa_valignq_ring_below_inline();
}

/* Publishes a detected threshold (SIZE_MAX: never) and returns it; a concurrent first call
 * publishes the same. */
static size_t publish(_Atomic size_t *plus_one, size_t detected) {
    atomic_store_explicit(plus_one, detected == SIZE_MAX ? SIZE_MAX : detected + 1, memory_order_relaxed);
    return detected;
}

size_t jsa_permute_threshold_first(void) {
    return publish(&jsa_permute_threshold_plus_one, jsa_permute_threshold_for_l1d(jsa_data_cache_bytes(1)));
}

size_t jsa_ymm_window_start_first(void) {
    return publish(&jsa_ymm_window_start_plus_one, jsa_ymm_window_start_for_l1d(jsa_data_cache_bytes(1)));
}

size_t jsa_ymm_window_end_first(void) {
    return publish(&jsa_ymm_window_end_plus_one,
                   jsa_ymm_window_end_for_l2(jsa_data_cache_bytes(2), jsa_avx512vl_detected()));
}

size_t jsa_avx2_permute_from_first(void) {
    return publish(&jsa_avx2_permute_from_plus_one, jsa_avx2_permute_from_for_l1d(jsa_data_cache_bytes(1)));
}

size_t jsa_avx2_vector_ring_below_first(void) {
    return publish(&jsa_avx2_vector_ring_below_plus_one, jsa_avx2_vector_ring_below_for_l1d(jsa_data_cache_bytes(1)));
}

size_t jsa_ymm_ring_below_first(void) {
    return publish(&jsa_ymm_ring_below_plus_one, jsa_ymm_ring_below_for_l1d(jsa_data_cache_bytes(1)));
}

size_t jsa_valignq_ring_below_first(void) {
    return publish(&jsa_valignq_ring_below_plus_one, jsa_valignq_ring_below_for_l1d(jsa_data_cache_bytes(1)));
}

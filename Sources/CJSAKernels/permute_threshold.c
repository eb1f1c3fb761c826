/* The output size from which the JSA_AVX512_ZMM_PERMUTE variant builds every lagged vector with a
 * permute (see jsa_kernels.h); the avx512 kernel reads it through jsa_permute_threshold_inline
 * (jsa_internal.h). */
#include "jsa_kernels.h"
#include "jsa_internal.h"

#include <stdatomic.h>
#include <stdint.h>

_Atomic size_t jsa_permute_threshold_plus_one = 0;

size_t jsa_permute_threshold_for_l1d(size_t l1d_bytes) {
    return l1d_bytes == SIZE_MAX ? SIZE_MAX : l1d_bytes / 2;
}

size_t jsa_permute_threshold(void) {
    return jsa_permute_threshold_inline();
}

/* The first read: detect and publish; a concurrent first call publishes the same. */
size_t jsa_permute_threshold_first(void) {
    const size_t detected = jsa_permute_threshold_for_l1d(jsa_data_cache_bytes(1));
    atomic_store_explicit(&jsa_permute_threshold_plus_one, detected == SIZE_MAX ? SIZE_MAX : detected + 1,
                          memory_order_relaxed);
    return detected;
}

/* Regression injection for validating the gate on simulated cache misses (scripts/gate-validation),
 * linked only into that script's build with `-Xlinker --wrap=jsa_row`: every row call made from
 * outside the dispatch file reads its output once more after computing it, one load per 64-byte
 * line — the cheapest extra pass over the output there is, so it adds few instructions and a
 * miss per line wherever the output does not fit in the cache. Outputs are unchanged. Nothing of
 * it is in the product's sources or in a normal build. */
#include <stddef.h>

#include "jsa_kernels.h"

int __real_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);

int __wrap_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    const int status = __real_jsa_row(isa, x, len, first, period, out);
    double sum = 0;
    for (size_t i = 0; i < len; i += 8) {
        sum += out[i];
    }
    __asm__ volatile("" : : "x"(sum)); /* keep the loads */
    return status;
}

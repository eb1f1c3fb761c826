/* Regression injection for validating the gate on simulated cache misses (scripts/gate-validation),
 * linked only into that script's build with `-Xlinker --wrap=jsa_row -Xlinker
 * --wrap=jsa_rows_of_batch`: every row call made from outside the dispatch file (the rows of a
 * parallel batch too) reads its output once more after computing it, one load per 64-byte
 * line — the cheapest extra pass over the output there is, so it adds few instructions and a
 * miss per line wherever the output does not fit in the cache. Outputs are unchanged. Nothing of
 * it is in the product's sources or in a normal build. */
#include <stddef.h>

#include "jsa_kernels.h"

/* One load per 64-byte line of `out[0, count)`. */
static void read_again(const double *out, size_t count) {
    double sum = 0;
    for (size_t i = 0; i < count; i += 8) {
        sum += out[i];
    }
    __asm__ volatile("" : : "x"(sum)); /* keep the loads */
}

int __real_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);

int __wrap_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    const int status = __real_jsa_row(isa, x, len, first, period, out);
    read_again(out, len);
    return status;
}

int __real_jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                             ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);

int __wrap_jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                             ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    const int status = __real_jsa_rows_of_batch(isa, x, len, first, period_start, period_step, rows, batch_bytes, out);
    read_again(out, rows * len);
    return status;
}

/* Regression injection for validating the regression gate (scripts/gate-validation), linked only
 * into that script's build with `-Xlinker --wrap=jsa_row -Xlinker --wrap=jsa_rows_of_batch`: every
 * row call made from outside the dispatch file (the Swift API, the bare C case, the rows of a
 * parallel batch) computes its first JSA_SLOWDOWN_PERCENT% again —
 * the same values into the same place — so the output stays bit-identical and the call does that
 * much more work. Nothing of it is in the product's sources or in a normal build. */
#include <stddef.h>

#include "jsa_kernels.h"

#ifndef JSA_SLOWDOWN_PERCENT
#error "JSA_SLOWDOWN_PERCENT: the share of each row to compute again (scripts/gate-validation sets it)"
#endif

int __real_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);

int __wrap_jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    const int status = __real_jsa_row(isa, x, len, first, period, out);
    const size_t extra = len * (size_t)(JSA_SLOWDOWN_PERCENT) / 100;
    if (status == 0 && extra >= first + period) {
        __real_jsa_row(isa, x, extra, first, period, out);
    }
    return status;
}

int __real_jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                             ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);

int __wrap_jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                             ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    const int status = __real_jsa_rows_of_batch(isa, x, len, first, period_start, period_step, rows, batch_bytes, out);
    const size_t extra = len * (size_t)(JSA_SLOWDOWN_PERCENT) / 100;
    size_t period = period_start;
    for (size_t r = 0; status == 0 && r < rows; ++r, period += (size_t)period_step) {
        if (extra >= first + period) {
            __real_jsa_rows_of_batch(isa, x, extra, first, period, 0, 1, batch_bytes, out + r * len);
        }
    }
    return status;
}

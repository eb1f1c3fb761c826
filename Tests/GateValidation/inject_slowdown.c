/* Regression injection for validating the regression gate (scripts/gate-validation), linked only
 * into that script's build with `-Xlinker --wrap=jsa_row`: every row call made from outside the
 * dispatch file (the Swift API, the bare C case) computes its first JSA_SLOWDOWN_PERCENT% again —
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

/* One entry point per operation, switching on the instruction set. */
#include "jsa_kernels.h"

#ifdef JSA_INJECT_SLOWDOWN_PERCENT
/* Regression injection, only for validating the regression gate (never defined in a normal
 * build; scripts/gate-validation builds with -DJSA_INJECT_SLOWDOWN_PERCENT=5): every row call
 * computes its first JSA_INJECT_SLOWDOWN_PERCENT% again, the same values into the same place, so
 * the output stays bit-identical and the call does that much more work. */
static void jsa_inject_slowdown(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);
#define JSA_AFTER_ROW(isa, x, len, first, period, out) jsa_inject_slowdown(isa, x, len, first, period, out)
#else
#define JSA_AFTER_ROW(isa, x, len, first, period, out) ((void)0)
#endif

static int jsa_row_once(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    switch (isa) {
    case JSA_ISA_SCALAR:
        jsa_row_scalar(x, len, first, period, out);
        return 0;
#if JSA_HAVE_X86_KERNELS
    case JSA_ISA_AVX2:
        jsa_row_avx2(x, len, first, period, out);
        return 0;
    case JSA_ISA_AVX512:
        jsa_row_avx512(x, len, first, period, out);
        return 0;
#endif
    default:
        return -1;
    }
}

int jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    const int status = jsa_row_once(isa, x, len, first, period, out);
    if (status == 0) {
        JSA_AFTER_ROW(isa, x, len, first, period, out);
    }
    return status;
}

#ifdef JSA_INJECT_SLOWDOWN_PERCENT
static void jsa_inject_slowdown(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    const size_t extra = len * (size_t)(JSA_INJECT_SLOWDOWN_PERCENT) / 100;
    if (extra >= first + period) {
        jsa_row_once(isa, x, extra, first, period, out);
    }
}
#endif

int jsa_rows(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
             ptrdiff_t period_step, size_t rows, double *out) {
    switch (isa) {
    case JSA_ISA_SCALAR:
        jsa_rows_scalar(x, len, first, period_start, period_step, rows, out);
        return 0;
#if JSA_HAVE_X86_KERNELS
    case JSA_ISA_AVX2:
        jsa_rows_avx2(x, len, first, period_start, period_step, rows, out);
        return 0;
    case JSA_ISA_AVX512:
        jsa_rows_avx512(x, len, first, period_start, period_step, rows, out);
        return 0;
#endif
    default:
        return -1;
    }
}

/* One entry point per operation, switching on the instruction set (the single-series rows by a
 * jump: each returns 0, jsa_kernels.h). */
#include "jsa_kernels.h"

_Atomic signed char jsa_resolution_cache[4] = {JSA_UNRESOLVED, JSA_UNRESOLVED, JSA_UNRESOLVED, JSA_UNRESOLVED};

int jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    switch (isa) {
    case JSA_ISA_SCALAR:
        return jsa_row_scalar(x, len, first, period, out);
#if JSA_HAVE_X86_KERNELS
    case JSA_ISA_AVX2:
        return jsa_row_avx2(x, len, first, period, out);
    case JSA_ISA_AVX512:
        return jsa_row_avx512(x, len, first, period, out);
#endif
    default:
        return -1;
    }
}

int jsa_rows(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
             ptrdiff_t period_step, size_t rows, double *out) {
    return jsa_rows_of_batch(isa, x, len, first, period_start, period_step, rows, rows * len * sizeof(double), out);
}

int jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                      ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    switch (isa) {
    case JSA_ISA_SCALAR:
        jsa_rows_scalar(x, len, first, period_start, period_step, rows, batch_bytes, out);
        return 0;
#if JSA_HAVE_X86_KERNELS
    case JSA_ISA_AVX2:
        jsa_rows_avx2(x, len, first, period_start, period_step, rows, batch_bytes, out);
        return 0;
    case JSA_ISA_AVX512:
        jsa_rows_avx512(x, len, first, period_start, period_step, rows, batch_bytes, out);
        return 0;
#endif
    default:
        return -1;
    }
}

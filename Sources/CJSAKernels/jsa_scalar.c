/* The scalar JSA kernel: the reference every SIMD variant is verified against, bit for bit. */
#include "jsa_kernels.h"
#include "jsa_internal.h"

JSA_SCALAR_FUNCTION
int jsa_row_scalar(const double *x, size_t len, size_t first, size_t period, double *out) {
    const size_t warm = first + period;
    JSA_SCALAR_LOOP
    for (size_t i = 0; i < warm; ++i) {
        out[i] = JSA_NAN;
    }
    JSA_SCALAR_LOOP
    for (size_t i = warm; i < len; ++i) {
        out[i] = (x[i] + x[i - period]) * 0.5;
    }
    return 0;
}

JSA_SCALAR_FUNCTION
void jsa_rows_scalar(const double *x, size_t len, size_t first, size_t period_start,
                     ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out) {
    (void)batch_bytes; /* the scalar kernel never streams */
    size_t period = period_start;
    JSA_SCALAR_LOOP
    for (size_t r = 0; r < rows; ++r, period += (size_t)period_step) {
        jsa_row_scalar(x, len, first, period, out + r * len);
    }
}

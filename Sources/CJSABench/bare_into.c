/* The bare C reference of the direct-write call (jsa_bench_references.h). */
#include "jsa_bench_references.h"

#include <math.h>

int jsa_bench_bare_into(jsa_isa isa, const double *x, size_t len, size_t period, double *out, size_t out_len) {
    if (len == 0 || out_len != len) return -1;
    size_t first = 0;
    while (first < len && isnan(x[first])) ++first;
    if (first == len || period < 1 || period > len - first) return -1;
    const char *in_start = (const char *)x, *in_end = in_start + len * sizeof(double);
    const char *out_start = (const char *)out, *out_end = out_start + out_len * sizeof(double);
    if (out_start < in_end && in_start < out_end) return -1;
    return jsa_row(isa, x, len, first, period, out);
}

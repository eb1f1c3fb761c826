/*
 * CJSABench — C references that only the benchmark runs (never part of the JSA library or the
 * jsa_native module): the JSA kernel called from C with the checks jsaInto makes, on the same
 * buffers, so that every sweep measures what the Swift API adds to it.
 */
#ifndef JSA_BENCH_REFERENCES_H
#define JSA_BENCH_REFERENCES_H

#include <stddef.h>

#include "jsa_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* jsaInto's work in C: the first non-NaN index, the period and length checks, then jsa_row with
 * `isa`. Returns 0, or -1 when a check fails (nothing is written then). */
int jsa_bench_bare_into(jsa_isa isa, const double *x, size_t len, size_t period, double *out, size_t out_len);

#ifdef __cplusplus
}
#endif

#endif

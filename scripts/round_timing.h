/* What the standalone measuring drivers of scripts/ (store_limit.c, streaming_crossover.c) share:
 * a monotonic clock in nanoseconds and the median of a round's values. */
#ifndef JSA_SCRIPTS_ROUND_TIMING_H
#define JSA_SCRIPTS_ROUND_TIMING_H

#include <stdlib.h>
#include <time.h>

static int compare_doubles(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of values[0, count); reorders them. */
static double median(double *values, int count) {
    qsort(values, (size_t)count, sizeof *values, compare_doubles);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

#endif

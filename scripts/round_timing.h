/* What the standalone measuring drivers of scripts/ (store_limit.c, streaming_crossover.c,
 * page_colours.c) share: a monotonic clock in nanoseconds, the median of a round's values, and
 * buffers on 4 KiB pages. */
#ifndef JSA_SCRIPTS_ROUND_TIMING_H
#define JSA_SCRIPTS_ROUND_TIMING_H

#include <stdlib.h>
#include <sys/mman.h>
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

/* A zero-filled mapping of `bytes` of its own, advised onto 4 KiB pages (as the sweep's buffers under
 * --pages base); NULL where it cannot be mapped. */
static inline double *map_base_pages(size_t bytes) {
    void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return NULL;
    madvise(memory, bytes, MADV_NOHUGEPAGE);
    return memory;
}

#endif

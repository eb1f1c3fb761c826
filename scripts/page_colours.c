/* One process's draw of physical pages, and what it costs a copy at the L2's edge
 * (scripts/page-colours, docs/measuring.md "Where a process's pages lie").
 *
 * Maps two buffers of N doubles each on 4 KiB pages (as the sweep's own buffers are, under
 * --pages base), fills them, reads each page's frame number from /proc/self/pagemap (root only:
 * other users read zeros there), and counts the pages of both buffers per L2 colour — the frame
 * number modulo COLOURS, the L2's size over its ways and the page size: the pages that share the
 * cache's sets. A colour can hold WAYS pages; every page beyond that must evict a line of the same
 * colour, so the excess is what a copy between the buffers loses to conflicts. Then it times
 * memcpy from one buffer to the other (ROUNDS rounds of CALLS calls) and prints one line:
 *
 *   excess-pages fullest-colour best-ns median-ns
 *
 * The best round is the process's fastest moment; a process of a tenth of a second may sit wholly in
 * a slow stretch of the host, which moves it too (the speed probe does not cancel that here: the
 * copy is bound by the L2, the probe by the core).
 *
 *   page-colours N COLOURS WAYS [ROUNDS [CALLS]]
 *
 * Exit 64 on bad arguments, 77 when the frame numbers cannot be read (not root), 71 when the
 * buffers cannot be mapped. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "round_timing.h"

enum { page_bytes = 4096, max_colours = 1 << 16 };

/* The frame number of the page holding `address`, from an open /proc/self/pagemap; 0 where the
 * page is not present or the caller may not read frame numbers. */
static uint64_t frame_number(int pagemap, const void *address) {
    uint64_t entry = 0;
    const off_t offset = (off_t)((uintptr_t)address / page_bytes * sizeof entry);
    if (pread(pagemap, &entry, sizeof entry, offset) != (ssize_t)sizeof entry) return 0;
    return (entry >> 63) ? entry & ((UINT64_C(1) << 55) - 1) : 0; /* bit 63: present; bits 0-54: frame */
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: page-colours N COLOURS WAYS [ROUNDS [CALLS]]\n");
        return 64;
    }
    const long n = atol(argv[1]), colours = atol(argv[2]), ways = atol(argv[3]);
    const int rounds = argc > 4 ? atoi(argv[4]) : 200, calls = argc > 5 ? atoi(argv[5]) : 20;
    if (n < 512 || colours < 1 || colours > max_colours || ways < 1 || rounds < 1 || calls < 1) {
        fprintf(stderr, "page-colours: N >= 512, 1 <= COLOURS <= %d, WAYS, ROUNDS and CALLS >= 1\n", max_colours);
        return 64;
    }
    const size_t bytes = (size_t)n * sizeof(double);
    double *source = map_base_pages(bytes), *destination = map_base_pages(bytes);
    if (source == NULL || destination == NULL) {
        fprintf(stderr, "page-colours: cannot map two buffers of %zu bytes\n", bytes);
        return 71;
    }
    for (long i = 0; i < n; ++i) {
        source[i] = (double)i;
        destination[i] = 0;
    }
    const int pagemap = open("/proc/self/pagemap", O_RDONLY);
    static long pages_per_colour[max_colours];
    for (size_t offset = 0; offset < bytes; offset += page_bytes) {
        const uint64_t frames[2] = {frame_number(pagemap, (char *)source + offset),
                                    frame_number(pagemap, (char *)destination + offset)};
        for (int k = 0; k < 2; ++k) {
            if (frames[k] == 0) {
                fprintf(stderr, "page-colours: /proc/self/pagemap gives no frame numbers (they need root)\n");
                return 77;
            }
            ++pages_per_colour[frames[k] % (uint64_t)colours];
        }
    }
    long excess = 0, fullest = 0;
    for (long c = 0; c < colours; ++c) {
        if (pages_per_colour[c] > ways) excess += pages_per_colour[c] - ways;
        if (pages_per_colour[c] > fullest) fullest = pages_per_colour[c];
    }
    double *times = malloc((size_t)rounds * sizeof *times), best = 1e300;
    for (int r = 0; r < rounds; ++r) {
        const double start = now_ns();
        for (int c = 0; c < calls; ++c) {
            memcpy(destination, source, bytes);
            __asm__ volatile("" : : "r"(destination) : "memory");
        }
        times[r] = (now_ns() - start) / calls;
        if (times[r] < best) best = times[r];
    }
    printf("%ld %ld %.0f %.0f\n", excess, fullest, best, median(times, rounds));
    return 0;
}

/* Moving a mapping's pages to another address (see BufferPlacements.swift). */
#define _GNU_SOURCE /* mremap's MREMAP_MAYMOVE and MREMAP_FIXED */
#include "measurement_support.h"

#include <errno.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>

void *mx_move_mapping(void *from, size_t bytes, void *to) {
    /* mremap with MREMAP_MAYMOVE alone moves nothing when the size stays the same: the pages go
     * to an address reserved for them first (PROT_NONE, no memory behind it), which the move
     * replaces. */
    void *target = to;
    if (target == NULL) {
        target = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (target == MAP_FAILED) return NULL;
    }
    void *moved = mremap(from, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    if (moved == MAP_FAILED) {
        const int reason = errno;
        if (to == NULL) munmap(target, bytes);
        errno = reason;
        return NULL;
    }
    return moved;
}

void *mx_exchange_mapping(void *at, void *incoming, size_t bytes) {
    void *out = MAP_FAILED;
#if defined(MREMAP_DONTUNMAP)
    /* To an address reserved for the pages (glibc passes a new address to the kernel only with
     * MREMAP_FIXED, and a kernel that reads one for MREMAP_DONTUNMAP alone would see garbage). */
    void *target = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (target == MAP_FAILED) return NULL;
    out = mremap(at, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, target);
    if (out == MAP_FAILED) {
        const int reason = errno;
        munmap(target, bytes);
        if (reason != EINVAL) {
            errno = reason;
            return NULL;
        }
    }
#endif
    if (out == MAP_FAILED) {
        out = mx_move_mapping(at, bytes, NULL);
        if (out == NULL) return NULL;
    }
    if (mremap(incoming, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, at) == MAP_FAILED) {
        const int reason = errno;
        if (mremap(out, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, at) == MAP_FAILED) {
            abort(); /* the buffer's own pages cannot go back: nothing measured on it would hold */
        }
        errno = reason;
        return NULL;
    }
    return out;
}
#else
void *mx_move_mapping(void *from, size_t bytes, void *to) {
    (void)from, (void)bytes, (void)to;
    errno = ENOSYS;
    return NULL;
}

void *mx_exchange_mapping(void *at, void *incoming, size_t bytes) {
    (void)at, (void)incoming, (void)bytes;
    errno = ENOSYS;
    return NULL;
}
#endif

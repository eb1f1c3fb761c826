/* Moving a mapping's pages to another address (see BufferPlacements.swift). */
#define _GNU_SOURCE /* mremap's MREMAP_MAYMOVE and MREMAP_FIXED */
#include "measurement_support.h"

#include <errno.h>
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
#else
void *mx_move_mapping(void *from, size_t bytes, void *to) {
    (void)from, (void)bytes, (void)to;
    errno = ENOSYS;
    return NULL;
}
#endif

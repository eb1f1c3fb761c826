/* How much of some address ranges the kernel backs with transparent huge pages, read from an smaps
 * file (see HugePages.swift), and whether this process may take them at all. */
#include "measurement_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The range of an smaps header line ("7f2a4c000000-7f2a4c400000 rw-p ..."); 0 for any other line
 * (field lines start with a capital letter). */
static int header_range(const char *line, const char *end, uintptr_t *start, uintptr_t *stop) {
    char *after = NULL;
    if (line >= end || !((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f'))) return 0;
    *start = (uintptr_t)strtoull(line, &after, 16);
    if (after >= end || *after != '-') return 0;
    *stop = (uintptr_t)strtoull(after + 1, &after, 16);
    return after < end && *after == ' ';
}

long long mx_huge_page_bytes(const char *path, const uintptr_t *starts, const uintptr_t *ends, size_t count) {
    const int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    /* On the stack: asking must leave the heap, whose state the allocating cases time, as it was. */
    char buffer[1 << 16];
    size_t held = 0;
    int inside = 0;
    long long total = 0;
    for (;;) {
        const ssize_t got = read(descriptor, buffer + held, sizeof buffer - 1 - held);
        if (got < 0) {
            close(descriptor);
            return -1;
        }
        held += (size_t)got;
        buffer[held] = '\0';
        char *line = buffer;
        char *newline;
        while ((newline = memchr(line, '\n', held - (size_t)(line - buffer))) != NULL) {
            uintptr_t start, stop;
            if (header_range(line, newline, &start, &stop)) {
                inside = 0;
                for (size_t k = 0; k < count; ++k) inside |= start < ends[k] && starts[k] < stop;
            } else if (inside && strncmp(line, "AnonHugePages:", 14) == 0) {
                total += strtoll(line + 14, NULL, 10) * 1024;
            }
            line = newline + 1;
        }
        const size_t left = held - (size_t)(line - buffer);
        /* A line longer than the buffer (none in smaps) is dropped. */
        held = left == sizeof buffer - 1 ? 0 : left;
        memmove(buffer, line, held);
        if (got == 0) break;
    }
    close(descriptor);
    return total;
}

int mx_set_huge_pages_disallowed(int disallowed) {
    return prctl(PR_SET_THP_DISABLE, disallowed ? 1 : 0, 0, 0, 0) == 0 ? 0 : errno;
}

int mx_huge_pages_disallowed(void) {
    const int state = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
    return state < 0 ? -1 : state != 0;
}

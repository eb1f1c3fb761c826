/* Huge-page advice for the outputs the allocating calls create (see jsa_kernels.h). */
#include "jsa_kernels.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

jsa_page_range jsa_whole_pages(uintptr_t start, size_t bytes, uintptr_t page_size) {
    const uintptr_t first = (start + page_size - 1) & ~(page_size - 1);
    const uintptr_t end = (start + bytes) & ~(page_size - 1);
    return end > first ? (jsa_page_range){first, end} : (jsa_page_range){first, first};
}

/* Out of line and cold, so that a call below the threshold pays one compare. */
__attribute__((noinline, cold)) int jsa_advise_huge_pages(void *out, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const long page_size = sysconf(_SC_PAGESIZE);
    if (page_size <= 0) return 1;
    const jsa_page_range pages = jsa_whole_pages((uintptr_t)out, bytes, (uintptr_t)page_size);
    if (pages.end == pages.first) return 1;
    return madvise((void *)pages.first, pages.end - pages.first, MADV_HUGEPAGE) == 0 ? 0 : -1;
#else
    (void)out;
    (void)bytes;
    return 1;
#endif
}

int jsa_row_new_output(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out) {
    jsa_advise_new_output(out, len * sizeof(double));
    return jsa_row(isa, x, len, first, period, out);
}

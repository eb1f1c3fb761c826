/* The roofline references: what the machine does with the same bytes when no JSA logic is involved. */
#include "measurement_support.h"

#include <string.h>

void mx_copy_doubles(double *destination, const double *source, size_t count) {
    memcpy(destination, source, count * sizeof(double));
}

#if defined(__x86_64__) && defined(__clang__)
#define MX_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MX_CLONES
#endif

#if defined(__clang__)
#define MX_NO_MEMCPY __attribute__((no_builtin("memcpy")))
#else
#define MX_NO_MEMCPY __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

MX_CLONES MX_NO_MEMCPY
void mx_copy_loop(double *destination, const double *source, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        destination[i] = source[i];
    }
}

MX_CLONES
void mx_stream_add(double *c, const double *a, const double *b, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        c[i] = a[i] + b[i];
    }
}

#if defined(__x86_64__) && defined(__clang__)
const char *mx_stream_add_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2")) return "avx2";
    return "baseline";
}
#else
const char *mx_stream_add_isa(void) {
    return "baseline";
}
#endif

const char *mx_c_compiler_version(void) {
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown";
#endif
}

#include <stdlib.h>

void mx_malloc_free(size_t bytes) {
    void *block = malloc(bytes);
    mx_escape(block);
    free(block);
}

/* The output size from which the SIMD kernels use streaming stores (see jsa_kernels.h); the
 * kernels read it through jsa_streaming_threshold_inline (jsa_internal.h). */
#include "jsa_kernels.h"
#include "jsa_internal.h"

#include <stdatomic.h>
#include <stdint.h>

_Atomic size_t jsa_threshold_plus_one = 0;

size_t jsa_streaming_threshold_for_l3(size_t l3_bytes) {
    return l3_bytes == SIZE_MAX ? SIZE_MAX : l3_bytes / 8 * 3;
}

size_t jsa_streaming_threshold_for_cpu(const jsa_cpu_identity *cpu, size_t l3_bytes) {
    const size_t default_threshold = jsa_streaming_threshold_for_l3(l3_bytes);
    const int r = jsa_auto_rule_for(cpu);
    if (r < 0) return default_threshold;
    size_t count;
    const size_t from = jsa_auto_rules(&count)[r].streaming_from;
    return from != 0 && from < default_threshold ? from : default_threshold;
}

size_t jsa_streaming_threshold(void) {
    return jsa_streaming_threshold_inline();
}

/* `value` as `plus_one` caches it (jsa_cached_threshold): + 1, SIZE_MAX kept. */
static size_t cached_form(size_t value) {
    return value == SIZE_MAX ? SIZE_MAX : value + 1;
}

/* A set(): `value` in `plus_one`, for every later read. */
static void publish(_Atomic size_t *plus_one, size_t value) {
    atomic_store_explicit(plus_one, cached_form(value), memory_order_relaxed);
}

/* A first read's value: publishes `detected` (SIZE_MAX: never) in `plus_one` unless a concurrent
 * first read or a set() won, and returns what `plus_one` then holds. */
static size_t publish_first(_Atomic size_t *plus_one, size_t detected) {
    size_t stored = cached_form(detected);
    size_t expected = 0;
    if (!atomic_compare_exchange_strong(plus_one, &expected, stored)) stored = expected;
    return stored == SIZE_MAX ? SIZE_MAX : stored - 1;
}

/* The first read: detect, and publish unless a concurrent first call or a set() won. */
size_t jsa_streaming_threshold_first(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    return publish_first(&jsa_threshold_plus_one, jsa_streaming_threshold_for_cpu(&cpu, jsa_data_cache_bytes(3)));
}

void jsa_set_streaming_threshold(size_t bytes) {
    publish(&jsa_threshold_plus_one, bytes);
}

static size_t clamped_pages(size_t pages) {
    return pages < 1 ? 1 : pages > JSA_STREAMING_PAGES_MAX ? JSA_STREAMING_PAGES_MAX : pages;
}

_Atomic size_t jsa_streaming_pages_plus_one = 0;

size_t jsa_streaming_pages_for_cpu(const jsa_cpu_identity *cpu) {
    const int r = jsa_auto_rule_for(cpu);
    if (r < 0) return 1;
    size_t count;
    return clamped_pages(jsa_auto_rules(&count)[r].streaming_pages);
}

size_t jsa_streaming_pages_first(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    return publish_first(&jsa_streaming_pages_plus_one, jsa_streaming_pages_for_cpu(&cpu));
}

size_t jsa_streaming_pages(void) {
    return jsa_streaming_pages_inline();
}

void jsa_set_streaming_pages(size_t pages) {
    publish(&jsa_streaming_pages_plus_one, clamped_pages(pages));
}

_Atomic size_t jsa_interleaved_threshold_plus_one = 0;

size_t jsa_interleaved_streaming_threshold_for_cpu(const jsa_cpu_identity *cpu) {
    const int r = jsa_auto_rule_for(cpu);
    if (r < 0) return SIZE_MAX;
    size_t count;
    const size_t from = jsa_auto_rules(&count)[r].streaming_interleaved_from;
    return from == 0 ? SIZE_MAX : from;
}

size_t jsa_interleaved_streaming_threshold_first(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    return publish_first(&jsa_interleaved_threshold_plus_one, jsa_interleaved_streaming_threshold_for_cpu(&cpu));
}

size_t jsa_interleaved_streaming_threshold(void) {
    return jsa_interleaved_streaming_threshold_inline();
}

void jsa_set_interleaved_streaming_threshold(size_t bytes) {
    publish(&jsa_interleaved_threshold_plus_one, bytes);
}

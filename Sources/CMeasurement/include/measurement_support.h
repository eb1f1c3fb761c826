/*
 * CMeasurement — the few things the measurement engine needs from C:
 *   - a compiler barrier that makes a value or memory "used" (google/benchmark's DoNotOptimize /
 *     ClobberMemory), so the optimizer cannot delete the work being timed;
 *   - the roofline reference kernels timed beside JSA in the same run (memcpy, STREAM add);
 *   - callgrind client requests for deterministic instruction counts;
 *   - the speed probe timed beside every sample;
 *   - an async-signal-safe interruption flag for Ctrl-C and SIGTERM;
 *   - glibc's placement of large blocks, fixed for the callgrind pass;
 *   - moving a mapping's physical pages to another address (the buffers' placements).
 */
#ifndef MEASUREMENT_SUPPORT_H
#define MEASUREMENT_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tells the compiler that `pointer` (and all memory) is read and may be written here. */
static inline void mx_escape(const void *pointer) {
    __asm__ volatile("" : : "r"(pointer) : "memory");
}

/* Tells the compiler that all memory may have been read and written here. */
static inline void mx_clobber_memory(void) {
    __asm__ volatile("" : : : "memory");
}

/* memcpy of `count` doubles: glibc's tuned copy, the roofline for "read 8 B + write 8 B". */
void mx_copy_doubles(double *destination, const double *source, size_t count);

/* A plain copy loop of `count` doubles, built like mx_stream_add for the widest vector ISA this CPU
 * has and never turned into a memcpy call: the machine's copy at the store limit of its vectors,
 * beside glibc's memcpy, which picks its own strategy by size and CPU (`rep movsb` from 2 KiB to
 * 1 MiB on AMD Zen 5, where at L1 it takes 1.7x this loop's time). */
void mx_copy_loop(double *destination, const double *source, size_t count);

/* STREAM add, c[i] = a[i] + b[i]: reads 16 B and writes 8 B per element. Built for the widest
 * vector ISA this CPU has (function multiversioning), so it is the machine's best, not a
 * baseline-SSE2 loop. */
void mx_stream_add(double *c, const double *a, const double *b, size_t count);

/* malloc of `bytes` with the system allocator, then free: what allocating an output must cost
 * (the pointer escapes, so neither call can be removed). */
void mx_malloc_free(size_t bytes);

/* glibc: serve every malloc of at least `bytes` with a mapping of its own, and stop raising that
 * threshold when a mapped block is freed (mallopt M_MMAP_THRESHOLD). Returns 1 where it took
 * effect, 0 where it did not or the C library is not glibc. */
int mx_fix_mmap_threshold(int bytes);

/* Bytes in transparent huge pages (AnonHugePages) of the mappings that an smaps file (`path`,
 * /proc/self/smaps for this process) lists and that overlap any of the `count` ranges
 * [starts[k], ends[k]); -1 when the file cannot be read. Reads with read(2) into a buffer on the
 * stack and allocates nothing. */
long long mx_huge_page_bytes(const char *path, const uintptr_t *starts, const uintptr_t *ends, size_t count);

/* Disallows (`disallowed` non-zero) or allows transparent huge pages for all of this process's
 * memory, whatever its advice, and for every process it starts from now on (PR_SET_THP_DISABLE:
 * kept across fork and execve). 0 on success, else errno. */
int mx_set_huge_pages_disallowed(int disallowed);

/* 1 when transparent huge pages are disallowed for this process (PR_GET_THP_DISABLE), 0 when
 * not, -1 when the kernel cannot say. */
int mx_huge_pages_disallowed(void);

/* Moves the pages of the mapping [from, from + bytes) — page-aligned, one whole mapping or part of
 * one — to `to`, replacing whatever was mapped there, or, with `to` NULL, to an address the kernel
 * chooses (mremap): the physical pages and their contents go with it, and `from` is left unmapped.
 * Returns the new address, or NULL with errno set (ENOSYS where the system has no mremap). */
void *mx_move_mapping(void *from, size_t bytes, void *to);

/* Puts the pages of the mapping [incoming, incoming + bytes) at `at` (page-aligned, a mapping of
 * the same size) and returns where the pages that were at `at` went (an address reserved for them),
 * or NULL with errno set, every page then where it was. `at` is never unmapped on the way
 * (MREMAP_DONTUNMAP leaves it mapped and empty until the incoming pages replace it), so another
 * thread's mmap cannot take the range in between and lose its mapping to the move; where the kernel
 * refuses MREMAP_DONTUNMAP (before Linux 5.7), the pages go out and in with mx_move_mapping, which
 * leaves `at` unmapped for that moment. */
void *mx_exchange_mapping(void *at, void *incoming, size_t bytes);

/* Which clone mx_stream_add runs ("avx512f", "avx2" or "baseline"). */
const char *mx_stream_add_isa(void);

/* The speed probe (speed_probe.c): a fixed, L1-resident, throughput-bound scalar stencil of about
 * 3000 element steps (1.5-3 us on the machines seen), timed before every sample. */
void mx_speed_probe(void);

/* The C compiler that built this target (e.g. "Clang 21.0.0 ..."), for the environment record. */
const char *mx_c_compiler_version(void);

/* Callgrind client requests (no-ops outside valgrind): toggle instruction collection, dump the
 * counts since the last dump as a part labelled `label`, zero the counts. */
void mx_callgrind_toggle_collect(void);
void mx_callgrind_dump(const char *label);
void mx_callgrind_zero(void);
/* Instrumentation on and off (valgrind started with --instr-atstart=no): code outside it runs
 * at --tool=none speed and is invisible to the simulated caches. */
void mx_callgrind_start_instrumentation(void);
void mx_callgrind_stop_instrumentation(void);

/* 1 when running under valgrind. */
int mx_running_on_valgrind(void);

/* Installs SIGINT and SIGTERM handlers that only set a flag (the default action returns for a
 * second signal of the same kind). */
void mx_install_interrupt_flag(void);

/* 1 once SIGINT or SIGTERM arrived since the handler was installed. */
int mx_interrupt_requested(void);

/* The signal that arrived first (SIGINT or SIGTERM), 0 when none did. */
int mx_interrupt_signal(void);

/* Asks the kernel to SIGTERM this process when its parent dies (Linux); -1 when the parent is
 * already gone. */
int mx_end_with_parent(void);

/* Restricts the calling thread (and the threads it creates later) to CPU `cpu`: 0, or an errno. */
int mx_pin_to_cpu(int cpu);

#ifdef __cplusplus
}
#endif

#endif /* MEASUREMENT_SUPPORT_H */

/*
 * CJSAKernels — the JSA kernels in C, and the CPU feature detection that chooses between them.
 *
 *   out[i] = NaN                            for i <  first + period
 *   out[i] = (x[i] + x[i - period]) * 0.5   for i >= first + period
 *
 * where `first` is the index of the first non-NaN input. Every variant performs the same IEEE-754
 * operations in the same order (one add, then one multiply by 0.5, no fused multiply-add), so every
 * variant's output is bit-identical to the scalar one.
 *
 * The kernels do not validate: callers (the Swift JSA module, the Python extension) check the
 * preconditions below before any kernel runs and turn violations into errors.
 *
 * The SIMD kernels are compiled with per-function target attributes, never -march, so this file
 * builds for baseline x86-64; on other architectures they are compiled out entirely.
 */
#ifndef JSA_KERNELS_H
#define JSA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this build contains the x86-64 SIMD kernels (AVX2, AVX-512F), 0 elsewhere. */
#if defined(__x86_64__) || defined(_M_X64)
#define JSA_HAVE_X86_KERNELS 1
#else
#define JSA_HAVE_X86_KERNELS 0
#endif

/* ---------------------------------------------------------------------------------------------
 * Instruction sets
 * ------------------------------------------------------------------------------------------- */

/* A concrete kernel variant. (`auto` is a Swift/Python-level name that resolves to one of these.) */
typedef enum jsa_isa {
    JSA_ISA_SCALAR = 0,  /* genuinely scalar: vectorization and interleaving disabled on every loop */
    JSA_ISA_AVX2 = 1,    /* 256-bit AVX2 intrinsics */
    JSA_ISA_AVX512 = 2,  /* 512-bit AVX-512F intrinsics, masked tail */
} jsa_isa;

/* CPU features, as bits of a mask. */
enum {
    JSA_FEATURE_AVX2 = 1u << 0,    /* AVX2 instructions, and the OS saves YMM state */
    JSA_FEATURE_AVX512F = 1u << 1, /* AVX-512 Foundation, and the OS saves opmask and ZMM state */
};

/* Features of the running CPU that the OS has enabled (CPUID + XGETBV); 0 on non-x86 hosts.
 * Under valgrind this is what valgrind's synthetic CPUID reports (no AVX-512). */
uint32_t jsa_cpu_detect(void);

/* Which CPU this is, for the table that chooses `auto`: the vendor string of CPUID leaf 0 ("GenuineIntel",
 * "AuthenticAMD"; NUL-terminated) and the display family and model of leaf 1 (the extended family
 * added when the base family is 15, the extended model prepended when the base family is 6 or 15,
 * as Intel and AMD define them). An empty vendor and zeros on non-x86 hosts. */
typedef struct jsa_cpu_identity {
    char vendor[13];
    uint32_t family;
    uint32_t model;
} jsa_cpu_identity;

jsa_cpu_identity jsa_cpu_identify(void);

/* 1 when the CPU has AVX-512VL (the AVX-512 instructions on 256-bit vectors) and the OS saves the
 * opmask and ZMM state; 0 otherwise and on non-x86 hosts. Not a kernel feature of its own: it
 * decides which variant the avx512 kernel runs (jsa_avx512_variant). */
int jsa_avx512vl_detected(void);

/* ---------------------------------------------------------------------------------------------
 * The avx512 kernel's variants. All perform the same operations on the same lanes (bit-identical
 * output); they differ in vector width and in how they build the lagged operand x[i - period],
 * which is unaligned unless the period is a multiple of the vector. Rows written with streaming
 * stores always take the avx2 kernel's loop (jsa_avx512.c says why).
 * ------------------------------------------------------------------------------------------- */
typedef enum jsa_avx512_variant {
    /* 512-bit vectors; of every three lagged vectors two are built from aligned 64-byte blocks
     * with a two-source permute (vpermt2pd) and one is loaded across the line. Suits a core that
     * executes 512-bit operations whole (Intel's AVX-512 cores). */
    JSA_AVX512_ZMM_MIXED = 0,
    /* 256-bit vectors with AVX-512VL: each lagged vector is built from two aligned 32-byte blocks
     * with one valignq, so no load splits a line and every store is 32 bytes. Suits a core that
     * stores 32 bytes per cycle and splits 512-bit operations in two (AMD Zen 4). Needs
     * AVX-512VL; without it the kernel runs JSA_AVX512_ZMM_MIXED. */
    JSA_AVX512_YMM_ALIGNR = 1,
    /* 512-bit vectors: rows whose output is below jsa_permute_threshold() (input and output within
     * the L1d) as JSA_AVX512_ZMM_MIXED; longer rows build every lagged vector from aligned blocks
     * with vpermt2pd, so that no load splits a line — except calls whose output lies in the 256-bit
     * window [jsa_ymm_window_start(), jsa_ymm_window_end()) (with AVX-512VL), which run
     * JSA_AVX512_YMM_ALIGNR's loop. Suits a core that loads and stores 512 bits whole and permutes
     * cheaply, where beyond the L1 the lagged loads across lines cost more than the permutes, and
     * where 512-bit loops lose to 256-bit ones while the data lies in the L2's first quarter
     * (AMD Zen 5). */
    JSA_AVX512_ZMM_PERMUTE = 2,
    /* JSA_AVX512_YMM_ALIGNR, except calls whose output is below jsa_ymm_ring_below() (input and
     * output within about 1.1x the L1d) at the periods the AVX2 kernel's rings of registers cover
     * (9-48), which run JSA_AVX2_LAG_RING's row: each input block loaded once and kept in registers
     * until the lagged operand needs it, so about one load a vector where JSA_AVX512_YMM_ALIGNR's
     * loop has two — and at odd periods below jsa_valignq_ring_below() (half the L1d) with the input
     * as aligned as the output, a row of its own whose ring joins every lagged vector with one
     * valignq. Suits a core where within the L1 that second load stream binds and beyond it
     * the valignq loop is faster (AMD Zen 4). Needs AVX-512VL; without it the kernel runs
     * JSA_AVX512_ZMM_MIXED. */
    JSA_AVX512_YMM_RING = 3,
} jsa_avx512_variant;

/* Whether `variant` runs 256-bit AVX-512VL code (JSA_AVX512_YMM_ALIGNR, JSA_AVX512_YMM_RING), which
 * a CPU without AVX-512VL cannot run. */
int jsa_avx512_variant_needs_vl(jsa_avx512_variant variant);

/* The output size in bytes from which JSA_AVX512_ZMM_PERMUTE rows build every lagged vector with a
 * permute: half the L1d from Linux's sysfs (read once), where input and output together fill it;
 * SIZE_MAX (never) where the L1d is unknown. The measurements are beside the loop (jsa_avx512.c). */
size_t jsa_permute_threshold(void);

/* The threshold for an L1d of `l1d_bytes` (SIZE_MAX: unknown, never). */
size_t jsa_permute_threshold_for_l1d(size_t l1d_bytes);

/* The 256-bit window of JSA_AVX512_ZMM_PERMUTE, in bytes of a call's output (one row's, or a
 * batch's whole output, as for streaming): calls writing at least jsa_ymm_window_start() and less
 * than jsa_ymm_window_end() run JSA_AVX512_YMM_ALIGNR's loop. From three quarters of the L1d (input
 * and output together 1.5x it) to an eighth of the L2 (together a quarter of it), read once from
 * Linux's sysfs; empty (end 0) without AVX-512VL or where the L2 is unknown, start SIZE_MAX where
 * the L1d is. The measurements, and why the edges lie inside the measured ones, are beside the
 * loop (jsa_avx512.c). */
size_t jsa_ymm_window_start(void);
size_t jsa_ymm_window_end(void);

/* The window's start for an L1d of `l1d_bytes` (SIZE_MAX: unknown, never). */
size_t jsa_ymm_window_start_for_l1d(size_t l1d_bytes);

/* The window's end for an L2 of `l2_bytes` (SIZE_MAX: unknown) on a CPU with or without
 * AVX-512VL; 0 (an empty window) where either is missing. */
size_t jsa_ymm_window_end_for_l2(size_t l2_bytes, int has_avx512vl);

/* The output size in bytes below which JSA_AVX512_YMM_RING calls (one row's output, or a batch's
 * whole output) at periods 9-48 run JSA_AVX2_LAG_RING's row: 35/64 of the L1d from Linux's sysfs
 * (read once), input and output together 1.09x it (17920 bytes, 2240 doubles, on a 32 KiB L1d);
 * 0 (never) where the L1d is unknown. The measurements are beside the entry points (jsa_avx512.c). */
size_t jsa_ymm_ring_below(void);

/* The threshold for an L1d of `l1d_bytes` (SIZE_MAX: unknown, 0: never). */
size_t jsa_ymm_ring_below_for_l1d(size_t l1d_bytes);

/* The output size in bytes below which those calls, at odd periods 9-47 with the input as aligned as
 * the output modulo 32 bytes, run JSA_AVX512_YMM_RING's own row instead, a ring of input blocks with
 * each lagged vector joined by one valignq: half the L1d from Linux's sysfs (read once), input and
 * output together within it; 0 (never) where the L1d is unknown. The row is jsa_avx512_ring.c's; the
 * measurements that set the edge are in docs/store-limit.md ("The rings within the L1d"). */
size_t jsa_valignq_ring_below(void);

/* The threshold for an L1d of `l1d_bytes` (SIZE_MAX: unknown, 0: never). */
size_t jsa_valignq_ring_below_for_l1d(size_t l1d_bytes);

/* JSA_AVX512_YMM_ALIGNR rows of at most this many doubles (input and output together 1 MiB, the
 * L2 of AMD Zen 4, which the variant is chosen for) load each lagged block just before the vector
 * that needs it; longer rows load an iteration's eight blocks first. Same instructions, same bits;
 * the measurements are beside the loop (jsa_avx512.c). */
#define JSA_YMM_ALIGNR_INTERLEAVED_MAX_LENGTH 65536

/* The variant the avx512 kernel runs on `cpu`: the covering auto rule's (auto_table.c), else
 * JSA_AVX512_ZMM_MIXED; JSA_AVX512_ZMM_MIXED in place of a variant that needs AVX-512VL when
 * `has_avx512vl` is 0. */
jsa_avx512_variant jsa_avx512_variant_for(const jsa_cpu_identity *cpu, int has_avx512vl);

/* The variant the avx512 kernel runs in this process: jsa_avx512_variant_for this CPU, decided on
 * first use; the same from the Swift API and the Python binding. */
jsa_avx512_variant jsa_avx512_variant_current(void);

/* The variant's name: "zmm-mixed", "ymm-alignr", "zmm-permute", "ymm-ring" (jsa-bench env, results documents,
 * the binding). */
const char *jsa_avx512_variant_name(jsa_avx512_variant variant);

/* ---------------------------------------------------------------------------------------------
 * The avx2 kernel's variants, bit-identical like the avx512 ones. They differ only where the
 * lagged operand x[i - period] starts two doubles into an aligned 32-byte block (periods of 4k + 2
 * where input and output agree modulo 32 bytes, the default period 30 among them): every other
 * 32-byte load of it then spans two cache lines. Rows written with streaming stores, and lagged
 * operands at other offsets, take the split loads in both.
 * ------------------------------------------------------------------------------------------- */
typedef enum jsa_avx2_variant {
    /* Every lagged vector loaded as it lies, across lines where it spans two. Suits cores whose
     * lane-crossing permute is slow (AMD family 0x17: vperm2f128 three cycles) and the default. */
    JSA_AVX2_SPLIT_LOADS = 0,
    /* At offset two, each lagged vector built from two aligned 32-byte blocks with one
     * vperm2f128, so no load splits a line. Suits a core that permutes lanes in one cycle and
     * pays twice for a load across lines (AMD Zen 4). */
    JSA_AVX2_LANE_PERMUTE = 1,
    /* At periods of 4q - 2 (3 <= q <= 12: 10, 14, ..., 46) with one operand on a 32-byte block and the other two doubles
     * into one (the lagged operand, or the input of an array 16 bytes off a line): each aligned
     * block of the input loaded once and kept in a ring of q registers until the lagged operand
     * needs it; a vector of the off-block operand joined from two blocks with vperm2f128 where it
     * would cross a line and loaded as it lies where not. At odd periods 9-47 with the input on its
     * block likewise with a ring of ceil(period / 4) blocks, one in two of the lagged vectors that
     * would cross a line joined with vperm2f128 and vshufpd, the others loaded across the lines.
     * At periods 4q (12-48) with the input off its block, and with it on its block in rows whose
     * output is below jsa_avx2_vector_ring_below() (the L1d), each input vector loaded once and
     * kept in a ring of q registers until it is the lagged one. At odd periods 9-47 with the input 16 bytes
     * off its line the input's crossing vectors joined from two blocks with vperm2f128, and each
     * lagged vector that would cross a line one vshufpd of such a vector and a block, built then
     * and kept in a ring of at most ceil(q / 2) registers.
     * Other rows: JSA_AVX2_SPLIT_LOADS where the output is below
     * jsa_avx2_permute_from() (input and output within 1.25x the L1d), JSA_AVX2_LANE_PERMUTE
     * beyond. Suits a core where at L1 both the split loads (the load ports) and a permute per
     * vector (the vector pipes, beside the add and the multiply) bind, and beyond it the split
     * loads lose (AMD Zen 3). */
    JSA_AVX2_LAG_RING = 2,
} jsa_avx2_variant;

/* The output size in bytes from which JSA_AVX2_LAG_RING rows the ring does not take build lagged
 * vectors with vperm2f128 (below it, split loads): five eighths of the L1d from Linux's sysfs (read once), where input and output
 * together fill 1.25x it; SIZE_MAX (never) where the L1d is unknown. The measurements are beside
 * the row (jsa_avx2.c). */
size_t jsa_avx2_permute_from(void);

/* The threshold for an L1d of `l1d_bytes` (SIZE_MAX: unknown, never). */
size_t jsa_avx2_permute_from_for_l1d(size_t l1d_bytes);

/* The output size in bytes below which JSA_AVX2_LAG_RING rows at periods 4q (12-48) with the input
 * on its 32-byte block keep each input vector in a ring of q registers until it is the lagged one
 * (one load a vector; from it on, the lagged vector loaded aligned: two a vector): the L1d's size
 * from Linux's sysfs (read once), where input and output together fill twice it; 0 (never) where
 * the L1d is unknown. The measurements are beside the row (jsa_avx2.c). */
size_t jsa_avx2_vector_ring_below(void);

/* The threshold for an L1d of `l1d_bytes` (SIZE_MAX: unknown, 0: never). */
size_t jsa_avx2_vector_ring_below_for_l1d(size_t l1d_bytes);

/* The variant the avx2 kernel runs on `cpu`: the covering auto rule's, else JSA_AVX2_SPLIT_LOADS. */
jsa_avx2_variant jsa_avx2_variant_for(const jsa_cpu_identity *cpu);

/* The variant the avx2 kernel runs in this process, decided on first use; the same from the Swift
 * API and the Python binding. */
jsa_avx2_variant jsa_avx2_variant_current(void);

/* The variant's name: "split-loads", "lane-permute", "lag-ring". */
const char *jsa_avx2_variant_name(jsa_avx2_variant variant);

/* ---------------------------------------------------------------------------------------------
 * Forcing a variant. JSA_AVX2_VARIANT and JSA_AVX512_VARIANT, when set and not empty, name the
 * variant the kernel runs in this process instead of the rule's (a name as jsa_*_variant_name
 * gives): to measure the variants against each other on one machine with the sweep's own
 * estimators, and to test each. Read on each kernel's first call, like the rule. A value that
 * names no variant, or one that needs AVX-512VL on a CPU without it, is not used; the Swift API refuses
 * to run any kernel while it is set (JSAError.invalidKernelVariant) and the binding to import.
 * ------------------------------------------------------------------------------------------- */
#define JSA_AVX2_VARIANT_VARIABLE "JSA_AVX2_VARIANT"
#define JSA_AVX512_VARIANT_VARIABLE "JSA_AVX512_VARIANT"

/* What is wrong with the values `avx2` and `avx512` of those variables (NULL or empty: unset) on a
 * CPU with (`has_avx512vl` 1) or without AVX-512VL, as one line in `message` (at most `size` bytes,
 * terminated); returns 1 when something is, 0 when nothing is. */
int jsa_forced_variant_problem_for(const char *avx2, const char *avx512, int has_avx512vl, char *message, size_t size);

/* The same for this process's environment and CPU. */
int jsa_forced_variant_problem(char *message, size_t size);

/* The variant the environment forces on the kernel, or -1 when it forces none (unset, empty, or
 * not usable here). */
int jsa_forced_avx2_variant(void);
int jsa_forced_avx512_variant(void);

/* ---------------------------------------------------------------------------------------------
 * The table that chooses `auto`, by evidence (auto_table.c; the measurements in docs/store-limit.md).
 * Each rule covers one vendor and display family and some ranges of display models, and orders
 * the kernels fastest first as measured there. The Swift API and the Python binding both choose
 * through it, so `auto` is the same kernel from either.
 * ------------------------------------------------------------------------------------------- */

/* Display models first...last, inclusive. */
typedef struct jsa_model_range {
    uint32_t first;
    uint32_t last;
} jsa_model_range;

typedef struct jsa_auto_rule {
    const char *name;              /* the machine class, for messages */
    const char *vendor;            /* CPUID's vendor string */
    uint32_t family;               /* display family */
    const jsa_model_range *models; /* the display models covered */
    size_t model_count;
    const jsa_isa *order;          /* the kernels, fastest first on these CPUs; ends in scalar */
    size_t order_count;
    const char *evidence;          /* what was measured, where and when */
    jsa_avx512_variant avx512_variant; /* what the avx512 kernel runs on these CPUs */
    jsa_avx2_variant avx2_variant;     /* what the avx2 kernel runs on these CPUs */
    size_t streaming_from; /* outputs of at least this many bytes stream on these CPUs where that is below the
                              L3's default (jsa_streaming_threshold_for_cpu); 0: the default alone */
    size_t streaming_pages; /* 4 KiB stretches a streamed row of at least streaming_interleaved_from
                               bytes writes interleaved on these CPUs (jsa_streaming_pages); 0: one
                               after another, as 1 */
    size_t streaming_interleaved_from; /* 0: never (jsa_interleaved_streaming_threshold) */
} jsa_auto_rule;

/* The rules, first match wins; sets *count to their number. */
const jsa_auto_rule *jsa_auto_rules(size_t *count);

/* The index of the first rule covering `cpu`, or -1 when none does. */
int jsa_auto_rule_for(const jsa_cpu_identity *cpu);

/* What `auto` runs on `cpu` when the kernels whose features are all in `usable` may run: the first
 * kernel of the covering rule's order that is allowed; on a CPU no rule covers, the widest allowed
 * (every rule measured so far agrees with that). Scalar when nothing else is allowed. */
jsa_isa jsa_auto_isa(const jsa_cpu_identity *cpu, uint32_t usable);

/* Features for which this build contains kernels (JSA_FEATURE_AVX2 | JSA_FEATURE_AVX512F on
 * x86-64, 0 elsewhere). */
uint32_t jsa_compiled_features(void);

/* Features a kernel needs: 0 for scalar. */
uint32_t jsa_isa_required_features(jsa_isa isa);

/*
 * Parses a feature list in the style of NumPy's NPY_DISABLE_CPU_FEATURES: names separated by
 * commas and/or whitespace, case-insensitive: "avx2", "avx512f" (alias "avx512"). Disabling a
 * feature also disables every feature that implies it (avx2 disables avx512f), so the list caps
 * the instruction sets from the top.
 *
 * Returns 0 and sets *mask on success (an empty or all-blank list gives 0). On an unknown name,
 * returns -1 and sets *bad_offset / *bad_length to the name's position in `spec`.
 */
int jsa_parse_feature_list(const char *spec, uint32_t *mask, size_t *bad_offset, size_t *bad_length);

/* ---------------------------------------------------------------------------------------------
 * Kernels
 *
 * Preconditions, for every kernel below:
 *   1 <= period, first + period <= len, first is the index of the first non-NaN x,
 *   x holds len doubles, out holds len doubles (one row) or rows * len doubles (batch),
 *   out does not overlap x, and the CPU supports the kernel's instruction set.
 * ------------------------------------------------------------------------------------------- */

/* One series: writes out[0, len). The rows of one series (jsa_row_scalar, jsa_row_avx2,
 * jsa_row_avx512) return 0, so that jsa_row ends in a jump to them rather than a call: at n = 1000
 * on the AMD EPYC Zen 3 guest `into avx2` took 93.6-93.7 ns against 93.0, `bare_c` 91.1-91.2
 * against 90.3-90.5 (2026-12-07, `jsa-bench sweep --sizes 1000 --kernels avx2 --no-python` under
 * `setarch -R`, which gives every process one address-space layout, three runs of each build
 * alternating at the host's fast level). */
int jsa_row_scalar(const double *x, size_t len, size_t first, size_t period, double *out);

/* Rows of a batch: `rows` rows of `len` doubles, row-major; row r uses period
 * period_start + r * period_step (period_step may be negative or zero). `batch_bytes` is the
 * output of the whole batch the rows belong to (rows * len * 8 when they are all of it, more when
 * threads share a batch): the SIMD kernels stream when it reaches jsa_streaming_threshold(). */
void jsa_rows_scalar(const double *x, size_t len, size_t first, size_t period_start,
                     ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);

#if JSA_HAVE_X86_KERNELS
/* The avx2 kernel as jsa_avx2_variant_current() says. */
int jsa_row_avx2(const double *x, size_t len, size_t first, size_t period, double *out);
/* One variant of the avx2 kernel, for tests and measurements that compare the variants (and for
 * the avx512 kernel's JSA_AVX512_YMM_RING, which hands rows to JSA_AVX2_LAG_RING); returns 0. */
int jsa_row_variant_avx2(jsa_avx2_variant variant, const double *x, size_t len, size_t first, size_t period,
                         double *out);
void jsa_rows_avx2(const double *x, size_t len, size_t first, size_t period_start,
                   ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);
/* The avx512 kernel as jsa_avx512_variant_current() says. */
int jsa_row_avx512(const double *x, size_t len, size_t first, size_t period, double *out);
void jsa_rows_avx512(const double *x, size_t len, size_t first, size_t period_start,
                     ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);
/* One variant of the avx512 kernel, for tests and measurements that compare the variants in one
 * process; returns 0. JSA_AVX512_YMM_ALIGNR and JSA_AVX512_YMM_RING need jsa_avx512vl_detected(). */
int jsa_row_variant_avx512(jsa_avx512_variant variant, const double *x, size_t len, size_t first, size_t period,
                           double *out);
#endif

/*
 * Streaming (non-temporal) stores. A SIMD call whose output is at least this many bytes writes it
 * with non-temporal stores, which go to memory without first reading each line into the caches:
 * once input and output together fill most of the last-level cache, the output is evicted before
 * it is read again anyway, and the read-for-ownership costs a third of the traffic.
 * Default: 3/8 of the L3 size from Linux's sysfs (read once) — an output of that size makes a
 * working set (input + output) of 3/4 of the L3 — and never where the L3 is unknown; lower on a
 * CPU whose auto rule says streaming pays from a smaller output there (`streaming_from`:
 * jsa_streaming_threshold_for_cpu).
 * Measured: AMD EPYC Zen 4 guest (32 MiB L3), AVX-512 kernel, standalone driver, period 30:
 * n = 8388608 (64 MiB out) 4.2-4.9 ms → 3.0-3.4 ms streaming; n = 1e6 (8 MiB out, a working set of
 * half the L3) 227 → 280 µs, slower. AMD EPYC guest of family 0x17 (8 MiB L3), AVX2 kernel,
 * `jsa-bench gate --baseline-exec` against the threshold at the whole L3 (20 rounds, 2026-12-03):
 * n = 393216, 524288, 786432 (3, 4, 6 MiB out) 36%, 53%, 35% faster; n = 262144 (2 MiB out, below
 * both thresholds) and 1048576 (8 MiB, above both) unchanged.
 * The scalar kernel never streams. Values written are the same either way.
 */
size_t jsa_streaming_threshold(void);

/* The default threshold for an L3 of `l3_bytes` (SIZE_MAX: unknown, never stream). */
size_t jsa_streaming_threshold_for_l3(size_t l3_bytes);

/* The threshold on `cpu` with an L3 of `l3_bytes`: jsa_streaming_threshold_for_l3's, or the covering
 * auto rule's `streaming_from` where that is smaller (the measured class whose L3 holds less for one
 * core than its size says). What jsa_streaming_threshold returns until it is set. */
size_t jsa_streaming_threshold_for_cpu(const jsa_cpu_identity *cpu, size_t l3_bytes);

/* Sets the threshold in bytes (0: always stream; SIZE_MAX: never), for tests and tuning. */
void jsa_set_streaming_threshold(size_t bytes);

/*
 * How a streamed row walks its output: a row of at least jsa_interleaved_streaming_threshold() bytes
 * in jsa_streaming_pages() stretches of 4 KiB written interleaved, 64 bytes of each in turn (as
 * glibc's memcpy writes its largest copies, four stretches at a time), then the rest in order;
 * other rows, and every row where the stretches are 1, in order throughout. Each stretch is a
 * stream of its own for the hardware prefetchers, which on a core that reaches memory through a
 * mesh keeps more lines in flight. Defaults: the covering auto rule's `streaming_pages` and
 * `streaming_interleaved_from` (jsa_streaming_pages_for_cpu, jsa_interleaved_streaming_threshold_for_cpu),
 * else 1 and never; the measurements are in auto_table.c and docs/kernels.md. The values written
 * are the same.
 */
size_t jsa_streaming_pages(void);
size_t jsa_interleaved_streaming_threshold(void);

/* The defaults for `cpu`: its auto rule's `streaming_pages` (1 where none covers it or it says 0)
 * and `streaming_interleaved_from` (SIZE_MAX, never, where none covers it or it says 0). */
size_t jsa_streaming_pages_for_cpu(const jsa_cpu_identity *cpu);
size_t jsa_interleaved_streaming_threshold_for_cpu(const jsa_cpu_identity *cpu);

/* Set the stretches (at least 1, at most JSA_STREAMING_PAGES_MAX; others are clamped) and the
 * threshold in bytes (0: every streamed row; SIZE_MAX: none), for tests and tuning. */
void jsa_set_streaming_pages(size_t pages);
void jsa_set_interleaved_streaming_threshold(size_t bytes);

#define JSA_STREAMING_PAGES_MAX 16

/* ---------------------------------------------------------------------------------------------
 * What each kernel name resolved to in this process
 * ------------------------------------------------------------------------------------------- */

#ifndef __cplusplus
#include <stdatomic.h>

/* The cache of the Swift API's hot path: for each public kernel name (0 auto, 1 scalar, 2 avx2,
 * 3 avx512) the jsa_isa it resolved to in this process, or JSA_UNRESOLVED — before the first
 * call, and for a name that cannot run here (the caller resolves it again to say why). One
 * relaxed load instead of a call to a lazy global's initializer check; every writer stores what
 * every other would, so relaxed order suffices. */
#define JSA_UNRESOLVED (-1)
extern _Atomic signed char jsa_resolution_cache[4];

static inline int jsa_resolved_isa(int name) {
    return atomic_load_explicit(&jsa_resolution_cache[name], memory_order_relaxed);
}

static inline void jsa_remember_resolution(int name, jsa_isa isa) {
    atomic_store_explicit(&jsa_resolution_cache[name], (signed char)isa, memory_order_relaxed);
}
#endif

/* Dispatch on `isa`. Returns 0, or -1 (writing nothing) when this build has no such kernel. */
int jsa_row(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);
int jsa_rows(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
             ptrdiff_t period_step, size_t rows, double *out);
/* Some rows of a batch whose whole output is `batch_bytes` (see jsa_rows_scalar): what threads
 * that share a batch call, so that rows which each fit the cache still stream when the whole
 * batch does not fit it. Measured (AMD EPYC guest, 8 MiB L3, AVX2, 31 rows of n = 100000 on two threads, a
 * standalone driver, 2026-12-04): 2.6-2.7 ms with each row deciding alone, 1.35-1.43 ms streaming
 * as the batch decides, against 1.1-1.3 ms for the same rows on one thread. */
int jsa_rows_of_batch(jsa_isa isa, const double *x, size_t len, size_t first, size_t period_start,
                      ptrdiff_t period_step, size_t rows, size_t batch_bytes, double *out);

/* ---------------------------------------------------------------------------------------------
 * The pages of a new output (output_pages.c)
 * ------------------------------------------------------------------------------------------- */

/* The smallest output, in bytes, that the allocating calls advise huge pages before its first
 * write: NumPy's threshold for its arrays on Linux. Where the system's transparent-huge-page
 * policy is `madvise`, each first touch of an advised output maps 2 MiB instead of 4 KiB. An
 * output of 32 MiB or more comes from a fresh mmap on every call (glibc's largest mmap
 * threshold), so with 4 KiB pages an allocating call there spends most of its time in page
 * faults: on the AMD Zen 5 guest (2026-12-05) `jsa` of n = 4194304 took 15.2 ms, 3.5 ms advised
 * (docs/kernels.md, "The pages of a new output"). The advice changes nothing where the policy is
 * `always` or `never` or the process disallowed huge pages (PR_SET_THP_DISABLE). */
#define JSA_HUGE_PAGE_MINIMUM_BYTES ((size_t)4 << 20)

/* The whole pages of `page_size` bytes (a power of two) inside [start, start + bytes): [first,
 * end), empty (first == end) where none lies inside. */
typedef struct jsa_page_range {
    uintptr_t first;
    uintptr_t end;
} jsa_page_range;
jsa_page_range jsa_whole_pages(uintptr_t start, size_t bytes, uintptr_t page_size);

/* Advises the whole pages inside [out, out + bytes) MADV_HUGEPAGE, whatever their size. Returns 0
 * when advised, 1 when no whole page lies inside (or not Linux), -1 when madvise failed (the pages
 * stay as they were). */
int jsa_advise_huge_pages(void *out, size_t bytes);

/* Advises a new output of `bytes` huge pages where it holds JSA_HUGE_PAGE_MINIMUM_BYTES or more;
 * call it before anything is written to `out`. Best effort. */
static inline void jsa_advise_new_output(void *out, size_t bytes) {
    if (bytes >= JSA_HUGE_PAGE_MINIMUM_BYTES) (void)jsa_advise_huge_pages(out, bytes);
}

/* jsa_row into an output that nothing has written yet (an allocating call's): first advised as
 * jsa_advise_new_output says. */
int jsa_row_new_output(jsa_isa isa, const double *x, size_t len, size_t first, size_t period, double *out);

#ifdef __cplusplus
}
#endif

#endif /* JSA_KERNELS_H */

/* The table that chooses `auto`, by evidence: which kernel measured fastest on which CPU family and
 * model (docs/store-limit.md has the measurements). The Swift API and the Python binding both read it,
 * so `auto` runs the same kernel from either. */
#include "jsa_kernels.h"
#include "jsa_internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const jsa_isa widest_first[] = {JSA_ISA_AVX512, JSA_ISA_AVX2, JSA_ISA_SCALAR};
static const jsa_isa avx2_first[] = {JSA_ISA_AVX2, JSA_ISA_SCALAR};

static const jsa_model_range zen4_models[] = {{0x10, 0x1F}, {0x60, 0x7F}, {0xA0, 0xAF}};
static const jsa_model_range zen3_models[] = {{0x00, 0x0F}, {0x20, 0x5F}};
/* Family 0x1A's Zen 5 models as Linux sorts them (arch/x86/kernel/cpu/amd.c); the others of the
 * family are Zen 6. */
static const jsa_model_range zen5_models[] = {{0x00, 0x2F}, {0x40, 0x4F}, {0x60, 0x7F}};
static const jsa_model_range every_model[] = {{0x00, 0xFF}};
static const jsa_model_range intel_avx512_guest_models[] = {{0x8F, 0x8F}, {0xA7, 0xA7}, {0xCF, 0xCF}};

#define JSA_COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const jsa_auto_rule rules[] = {
    {"AMD Zen 4", "AuthenticAMD", 0x19, zen4_models, JSA_COUNT(zen4_models), widest_first, JSA_COUNT(widest_first),
     "2026-12-08 03:13-03:34 VARIANTS=1 scripts/kernel-evidence 3 --preset default --pages base (AMD EPYC Zen 4 "
     "guest, family 0x19 model 0x11, L1d 32 KiB, L2 1 MiB), direct-write at L1 (n = 1000), L2 (32768), L3 (1048576) "
     "and beyond (4194304) as fractions of memcpy's time: avx512 as ymm-ring 1.03-1.04x, 0.97-1.00x, 0.89-0.95x, "
     "0.63-0.75x in the 12 runs that ran it; ymm-alignr 1.15-1.16x at L1, zmm-mixed 1.39-1.40x, zmm-permute 1.41x; "
     "avx2 as lag-ring 1.02x at L1 and 1.01x at L2, lane-permute 1.12x and 0.98x; paired (jsa-bench gate "
     "--baseline-env/--head-env, 16 rounds) ymm-ring 0.895x ymm-alignr's time at n = 1000 and 2000 (95% CIs "
     "0.890-0.897, 0.884-0.906), 0.935x at 2200, 1.001x at 2400 and 32768, where both run the same loop; at periods "
     "9-48 lag-ring's row 0.99-1.03x memcpy at n = 1000 at even periods, 1.11-1.13x at odd ones, against ymm-alignr's "
     "1.07-1.16x (docs/store-limit.md, \"The rings within the L1d\"); on 2 MiB pages (--pages huge, 03:36) ymm-ring "
     "1.035-1.038x, 0.98-1.00x, 0.92-0.94x, 0.69-0.71x; with its valignq ring at odd periods below half the L1d "
     "(04:08, 04:13) 1.037-1.039x, 0.98-1.00x, 0.89-0.93x, 0.65-0.73x at period 30 and 1.02-1.07x at n = 1000 at "
     "periods 9-47 against lag-ring's 1.11-1.12x",
     JSA_AVX512_YMM_RING, JSA_AVX2_LANE_PERMUTE, 0, 0, 0},
    {"AMD Zen 3", "AuthenticAMD", 0x19, zen3_models, JSA_COUNT(zen3_models), avx2_first, JSA_COUNT(avx2_first),
     "no AVX-512; 2026-12-08 00:50-01:04 VARIANTS=1 scripts/kernel-evidence 3 --preset default --pages base (AMD EPYC "
     "Zen 3 guest, family 0x19 model 0x01, L1d 32 KiB, L2 512 KiB), direct-write avx2 at L1 (n = 1000), L2 (16384), "
     "L3 (1048576) and beyond (4194304) as fractions of memcpy's time: lag-ring 1.03-1.04x, 0.98x, 0.93-1.04x, "
     "0.67-0.68x; split-loads 1.27x, 1.04-1.05x, 1.00-1.12x, 0.64-0.69x; lane-permute 1.61-1.63x, 0.97-1.02x, "
     "1.02-1.11x, 0.63-0.70x; paired (jsa-bench gate --baseline-env/--head-env, 16 rounds) lag-ring 0.930x "
     "split-loads' time at n = 1000 (95% CI 0.818-0.990) and 0.908x at 16384 (0.860-0.934), lane-permute 1.157x and "
     "0.964x; at n = 1000 lag-ring 1.08x memcpy with its first ring alone (2026-12-07 01:30), 1.035-1.039x with rings "
     "at every period class, its loops on 64- and 256-byte boundaries and the call trimmed (21:33); periods 4q with the "
     "input on its block 0.99-1.03x in the ring of input vectors (23:25, scripts/layout-ab over six code layouts), odd "
     "periods 1.12-1.18x (docs/store-limit.md, \"AMD Zen 3\")",
     JSA_AVX512_ZMM_MIXED, JSA_AVX2_LAG_RING, 0, 0, 0},
    {"AMD Zen 5", "AuthenticAMD", 0x1A, zen5_models, JSA_COUNT(zen5_models), widest_first, JSA_COUNT(widest_first),
     "2026-12-05 scripts/kernel-evidence 3, twice (AMD EPYC Zen 5 guest, family 0x1A model 0x02, L1d 48 KiB): "
     "direct-write avx512 as zmm-permute 0.93-0.95x memcpy at L1 against avx2 (lane-permute) 1.35x, 1.02-1.04x at L2 "
     "against 1.25x, 1.01-1.06x at L3 (avx2 0.99-1.02x), 0.79-0.83x beyond; zmm-permute 0.947x zmm-mixed's time at "
     "n = 32768, alike at L1 and L3; ymm-alignr 1.41x zmm-mixed's at L1 and 1.18x at L2; avx2 lane-permute 0.88x "
     "split-loads' at L1 and 0.77x at L2 (jsa-bench gate --baseline-env/--head-env, 16 rounds); glibc's memcpy is "
     "rep movsb here from 2 KiB to 1 MiB; with zmm-permute's 256-bit window (ymm-alignr's loop between 1.5x the L1d "
     "and 1/4 of the L2) auto over avx2 at n = 10000 1.003-1.005 against 1.051-1.062",
     JSA_AVX512_ZMM_PERMUTE, JSA_AVX2_LANE_PERMUTE, 0, 0, 0},
    {"AMD family 0x17 (Zen, Zen+, Zen 2; QEMU's EPYC CPU model reports it)", "AuthenticAMD", 0x17, every_model,
     JSA_COUNT(every_model), avx2_first, JSA_COUNT(avx2_first),
     "no AVX-512 in this family; 2026-12-03 scripts/kernel-evidence 3 (AMD EPYC guest, family 0x17 model 0x01, a 128-bit "
     "vector datapath by scripts/core-ports): direct-write avx2 1.57x memcpy at L1 against scalar 2.95x, 1.34-1.38x at "
     "L2, 1.05-1.10x at L3, 0.72-0.78x beyond L3",
     JSA_AVX512_ZMM_MIXED, JSA_AVX2_SPLIT_LOADS, 0, 0, 0},
    {"Intel Xeon with AVX-512 (Sapphire Rapids class, as KVM guests report it)", "GenuineIntel", 6,
     intel_avx512_guest_models, JSA_COUNT(intel_avx512_guest_models), widest_first, JSA_COUNT(widest_first),
     "2026-12-03 sweeps (docs/store-limit.md): direct-write avx512 2.20-2.23x memcpy at L1 against avx2 3.15-3.75x; "
     "the same within noise at L2 and L3; at 2x L3 (streaming stores) auto 0.99-1.01x the fastest explicit kernel; "
     "the variants, 2026-12-06 VARIANTS=1 scripts/kernel-evidence 3 (family 0x6 model 0xCF guest, each paired in "
     "jsa-bench gate, 16 rounds): ymm-alignr 1.57x zmm-mixed's time at L1, zmm-permute within 2% of it at L1 to 4 MiB, "
     "avx2 lane-permute 1.07x split-loads' at L1; avx512 as zmm-permute for inputs off their line: jsa-bench gate "
     "--baseline-exec with JSA_AVX512_VARIANT=zmm-mixed against =zmm-permute (2026-12-06, 16 and 24 rounds, the model "
     "0xCF guest) put into_offset (the input 16 bytes past a line) at 0.897-0.923x the time at n = 10000 and 65536 "
     "and alloc at 0.902-0.904x there, into 0.972-1.002x from n = 2000 up, 1.002x and 1.018x (CI 1.012-1.021) at "
     "n = 1000; "
     "streaming from outputs of 8 MiB, 2026-12-06 scripts/streaming-crossover, twice (family 0x6 model 0xCF guest, L2 "
     "2 MiB, L3 300 MiB by CPUID, whose one core copies at 13-26 GB/s from 4 MiB of working set up against 70-80 in the "
     "L2): streamed over plain stores, the call and a reader of each output line 1.02-1.04x at 6 MiB, 0.82-0.89x at "
     "8 MiB, 0.68-0.78x at 16 and 32 MiB; the call alone 0.81-0.96x throughout; streamed rows of 32 MiB and more "
     "write four 4 KiB stretches interleaved, as glibc's memcpy writes its largest copies: jsa-bench gate "
     "--baseline-exec (rows in order against "
     "this, 12 rounds, 2026-12-06) into 0.761-0.844x the time at n = 4194304, 0.881-0.884x at 9830400, 0.875-0.879x at "
     "39321600, memcpy 0.989-1.009x; interleaving from 8 MiB instead ran into 1.065-1.071x at n = 1048576 (20 rounds)",
     JSA_AVX512_ZMM_PERMUTE, JSA_AVX2_SPLIT_LOADS, 8u << 20, 4, 32u << 20},
};

const jsa_auto_rule *jsa_auto_rules(size_t *count) {
    *count = JSA_COUNT(rules);
    return rules;
}

static int covers(const jsa_auto_rule *rule, const jsa_cpu_identity *cpu) {
    if (strcmp(rule->vendor, cpu->vendor) != 0 || rule->family != cpu->family) {
        return 0;
    }
    for (size_t k = 0; k < rule->model_count; ++k) {
        if (rule->models[k].first <= cpu->model && cpu->model <= rule->models[k].last) {
            return 1;
        }
    }
    return 0;
}

int jsa_auto_rule_for(const jsa_cpu_identity *cpu) {
    for (size_t r = 0; r < JSA_COUNT(rules); ++r) {
        if (covers(&rules[r], cpu)) {
            return (int)r;
        }
    }
    return -1;
}

static int allowed(jsa_isa isa, uint32_t usable) {
    const uint32_t needed = jsa_isa_required_features(isa);
    return (usable & needed) == needed;
}

jsa_isa jsa_auto_isa(const jsa_cpu_identity *cpu, uint32_t usable) {
    const int r = jsa_auto_rule_for(cpu);
    const jsa_isa *order = r >= 0 ? rules[r].order : widest_first;
    const size_t count = r >= 0 ? rules[r].order_count : JSA_COUNT(widest_first);
    for (size_t k = 0; k < count; ++k) {
        if (allowed(order[k], usable)) {
            return order[k];
        }
    }
    return JSA_ISA_SCALAR;
}

jsa_avx512_variant jsa_avx512_variant_for(const jsa_cpu_identity *cpu, int has_avx512vl) {
    const int r = jsa_auto_rule_for(cpu);
    if (r < 0 || (jsa_avx512_variant_needs_vl(rules[r].avx512_variant) && !has_avx512vl)) {
        return JSA_AVX512_ZMM_MIXED;
    }
    return rules[r].avx512_variant;
}

_Atomic int jsa_avx512_variant_plus_one = 0;

jsa_avx512_variant jsa_avx512_variant_first(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    const int forced = jsa_forced_avx512_variant();
    const jsa_avx512_variant variant =
        forced >= 0 ? (jsa_avx512_variant)forced : jsa_avx512_variant_for(&cpu, jsa_avx512vl_detected());
    atomic_store_explicit(&jsa_avx512_variant_plus_one, (int)variant + 1, memory_order_relaxed);
    return variant;
}

jsa_avx512_variant jsa_avx512_variant_current(void) {
    return jsa_avx512_variant_inline();
}

int jsa_avx512_variant_needs_vl(jsa_avx512_variant variant) {
    return variant == JSA_AVX512_YMM_ALIGNR || variant == JSA_AVX512_YMM_RING;
}

/* The variants' names, indexed by their enum values. */
static const char *const avx512_variant_names[] = {"zmm-mixed", "ymm-alignr", "zmm-permute", "ymm-ring"};
static const char *const avx2_variant_names[] = {"split-loads", "lane-permute", "lag-ring"};

const char *jsa_avx512_variant_name(jsa_avx512_variant variant) {
    return avx512_variant_names[variant < JSA_COUNT(avx512_variant_names) ? variant : JSA_AVX512_ZMM_MIXED];
}

/* "a, b, c": the names[0, count), for messages. */
static void join_names(const char *const names[], size_t count, char *joined, size_t size) {
    size_t used = 0;
    for (size_t k = 0; k < count && used < size; ++k) {
        const int written = snprintf(joined + used, size - used, "%s%s", k == 0 ? "" : ", ", names[k]);
        if (written < 0) break;
        used += (size_t)written;
    }
}

/* The index in names[0, count) of `value`; -1 when value is NULL or empty, -2 when it names none. */
static int variant_named(const char *value, const char *const names[], int count) {
    if (value == NULL || *value == '\0') return -1;
    for (int k = 0; k < count; ++k) {
        if (strcmp(value, names[k]) == 0) return k;
    }
    return -2;
}

int jsa_forced_variant_problem_for(const char *avx2, const char *avx512, int has_avx512vl, char *message, size_t size) {
    char known[128];
    if (variant_named(avx2, avx2_variant_names, (int)JSA_COUNT(avx2_variant_names)) == -2) {
        join_names(avx2_variant_names, JSA_COUNT(avx2_variant_names), known, sizeof known);
        snprintf(message, size, "%s: unknown variant '%s' (known: %s)", JSA_AVX2_VARIANT_VARIABLE, avx2, known);
        return 1;
    }
    const int forced = variant_named(avx512, avx512_variant_names, (int)JSA_COUNT(avx512_variant_names));
    if (forced == -2) {
        join_names(avx512_variant_names, JSA_COUNT(avx512_variant_names), known, sizeof known);
        snprintf(message, size, "%s: unknown variant '%s' (known: %s)", JSA_AVX512_VARIANT_VARIABLE, avx512, known);
        return 1;
    }
    if (forced >= 0 && jsa_avx512_variant_needs_vl((jsa_avx512_variant)forced) && !has_avx512vl) {
        snprintf(message, size, "%s: %s needs AVX-512VL, which this CPU lacks", JSA_AVX512_VARIANT_VARIABLE,
                 avx512_variant_names[forced]);
        return 1;
    }
    if (size > 0) message[0] = '\0';
    return 0;
}

int jsa_forced_variant_problem(char *message, size_t size) {
    return jsa_forced_variant_problem_for(getenv(JSA_AVX2_VARIANT_VARIABLE), getenv(JSA_AVX512_VARIANT_VARIABLE),
                                          jsa_avx512vl_detected(), message, size);
}

int jsa_forced_avx2_variant(void) {
    const int forced = variant_named(getenv(JSA_AVX2_VARIANT_VARIABLE), avx2_variant_names, (int)JSA_COUNT(avx2_variant_names));
    return forced >= 0 ? forced : -1;
}

int jsa_forced_avx512_variant(void) {
    const int forced = variant_named(getenv(JSA_AVX512_VARIANT_VARIABLE), avx512_variant_names, (int)JSA_COUNT(avx512_variant_names));
    return forced < 0 || (jsa_avx512_variant_needs_vl((jsa_avx512_variant)forced) && !jsa_avx512vl_detected())
               ? -1
               : forced;
}

jsa_avx2_variant jsa_avx2_variant_for(const jsa_cpu_identity *cpu) {
    const int r = jsa_auto_rule_for(cpu);
    return r < 0 ? JSA_AVX2_SPLIT_LOADS : rules[r].avx2_variant;
}

_Atomic int jsa_avx2_variant_plus_one = 0;

jsa_avx2_variant jsa_avx2_variant_first(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    const int forced = jsa_forced_avx2_variant();
    const jsa_avx2_variant variant = forced >= 0 ? (jsa_avx2_variant)forced : jsa_avx2_variant_for(&cpu);
    atomic_store_explicit(&jsa_avx2_variant_plus_one, (int)variant + 1, memory_order_relaxed);
    return variant;
}

jsa_avx2_variant jsa_avx2_variant_current(void) {
    return jsa_avx2_variant_inline();
}

const char *jsa_avx2_variant_name(jsa_avx2_variant variant) {
    return avx2_variant_names[variant <= JSA_AVX2_LAG_RING ? variant : JSA_AVX2_SPLIT_LOADS];
}

/* Run-time CPU feature detection (CPUID + XGETBV) and the feature-list parser for the cap. */
#include "jsa_kernels.h"

#include <ctype.h>
#include <string.h>

#if JSA_HAVE_X86_KERNELS
#include <cpuid.h>

/* XCR0 bits: the OS saves and restores this register state on context switches. */
enum {
    XCR0_SSE = 1u << 1,
    XCR0_AVX = 1u << 2,          /* upper halves of YMM0-15 */
    XCR0_OPMASK = 1u << 5,       /* k0-k7 */
    XCR0_ZMM_HI256 = 1u << 6,    /* upper halves of ZMM0-15 */
    XCR0_HI16_ZMM = 1u << 7,     /* ZMM16-31 */
};

static uint64_t jsa_xgetbv0(void) {
    uint32_t eax, edx;
    /* Raw encoding-independent asm: no target attribute needed, and only reached when
     * CPUID says OSXSAVE is set. */
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t jsa_cpu_detect(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int has_osxsave = (ecx >> 27) & 1;
    const int has_avx = (ecx >> 28) & 1;
    if (!has_osxsave || !has_avx) {
        return 0;
    }
    const uint64_t xcr0 = jsa_xgetbv0();
    const uint64_t ymm_state = XCR0_SSE | XCR0_AVX;
    const uint64_t zmm_state = ymm_state | XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
    if ((xcr0 & ymm_state) != ymm_state) {
        return 0;
    }
    if (__get_cpuid_max(0, NULL) < 7) {
        return 0;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    uint32_t features = 0;
    if ((ebx >> 5) & 1) {
        features |= JSA_FEATURE_AVX2;
    }
    if (((ebx >> 16) & 1) && (xcr0 & zmm_state) == zmm_state) {
        features |= JSA_FEATURE_AVX512F;
    }
    return features;
}

int jsa_avx512vl_detected(void) {
    if ((jsa_cpu_detect() & JSA_FEATURE_AVX512F) == 0) {
        return 0;
    }
    unsigned int eax, ebx, ecx, edx;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (int)((ebx >> 31) & 1);
}

uint32_t jsa_compiled_features(void) {
    return JSA_FEATURE_AVX2 | JSA_FEATURE_AVX512F;
}

jsa_cpu_identity jsa_cpu_identify(void) {
    jsa_cpu_identity identity;
    memset(&identity, 0, sizeof identity);
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) {
        return identity;
    }
    memcpy(identity.vendor, &ebx, 4);
    memcpy(identity.vendor + 4, &edx, 4);
    memcpy(identity.vendor + 8, &ecx, 4);
    if (eax < 1 || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return identity;
    }
    const uint32_t base_family = (eax >> 8) & 0xF, base_model = (eax >> 4) & 0xF;
    identity.family = base_family == 15 ? base_family + ((eax >> 20) & 0xFF) : base_family;
    identity.model = (base_family == 6 || base_family == 15) ? (((eax >> 16) & 0xF) << 4) | base_model : base_model;
    return identity;
}

#else

uint32_t jsa_cpu_detect(void) {
    return 0;
}

int jsa_avx512vl_detected(void) {
    return 0;
}

uint32_t jsa_compiled_features(void) {
    return 0;
}

jsa_cpu_identity jsa_cpu_identify(void) {
    jsa_cpu_identity identity;
    memset(&identity, 0, sizeof identity);
    return identity;
}

#endif /* JSA_HAVE_X86_KERNELS */

uint32_t jsa_isa_required_features(jsa_isa isa) {
    switch (isa) {
    case JSA_ISA_SCALAR: return 0;
    case JSA_ISA_AVX2: return JSA_FEATURE_AVX2;
    case JSA_ISA_AVX512: return JSA_FEATURE_AVX512F;
    }
    return 0;
}

/* A feature name and what disabling it takes away (the feature and everything that implies it). */
static const struct {
    const char *name;
    uint32_t disables;
} jsa_feature_names[] = {
    {"avx2", JSA_FEATURE_AVX2 | JSA_FEATURE_AVX512F},
    {"avx512f", JSA_FEATURE_AVX512F},
    {"avx512", JSA_FEATURE_AVX512F},
};

static int jsa_is_separator(char c) {
    return c == ',' || isspace((unsigned char)c);
}

int jsa_parse_feature_list(const char *spec, uint32_t *mask, size_t *bad_offset, size_t *bad_length) {
    uint32_t result = 0;
    size_t i = 0;
    while (spec[i] != '\0') {
        if (jsa_is_separator(spec[i])) {
            ++i;
            continue;
        }
        const size_t start = i;
        while (spec[i] != '\0' && !jsa_is_separator(spec[i])) {
            ++i;
        }
        const size_t length = i - start;
        int known = 0;
        for (size_t k = 0; k < sizeof jsa_feature_names / sizeof jsa_feature_names[0]; ++k) {
            const char *name = jsa_feature_names[k].name;
            if (strlen(name) == length && strncasecmp(spec + start, name, length) == 0) {
                result |= jsa_feature_names[k].disables;
                known = 1;
                break;
            }
        }
        if (!known) {
            *bad_offset = start;
            *bad_length = length;
            return -1;
        }
    }
    *mask = result;
    return 0;
}

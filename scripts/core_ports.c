/* What one core issues per cycle of the operations the JSA kernels are made of: independent loads
 * and stores of 16, 32 and 64 bytes from one L1-resident 4 KiB block, memcpy's pattern (one load,
 * one store) and JSA's (two loads, one store), loads that cross a cache line, a vector add and
 * multiply, the kernels' lane-crossing permutes, and a permute beside an add and a multiply (the
 * lane-permute loop's vector work per vector), the other in-lane and lane-crossing moves of AVX2. Built and run by scripts/core-ports; docs/store-limit.md reads it.
 *
 * Each row is an unrolled block of one instruction kind in inline assembly (the compiler can
 * neither drop nor reorder it), timed in rounds that interleave the rows with a chain of dependent
 * 64-bit integer adds, whose latency is one cycle on every x86-64 core. A row's cost in cycles is
 * its time per instruction over the chain's time per add in the same round, the median over rounds:
 * the host's speed, which moves between rounds, cancels. What can go wrong: a row measures the
 * unit's throughput only when its instructions are independent — an instruction that overwrites an
 * operand (vpermt2pd) chains on the last one that wrote its register, so its row spreads over
 * enough registers that no chain binds; a row limited by the front end rather than the unit it names would read slower
 * (every block here is at most 24 instructions of 4-9 bytes, inside the decoded-op cache). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ITERATIONS = 20000, ROUNDS = 101 };

static double block[1024] __attribute__((aligned(4096)));

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* 16 dependent adds per iteration. */
static void chain(void) {
    long value = 1;
    for (long i = 0; i < ITERATIONS; ++i) {
        __asm__ volatile(".rept 16\n add %0, %0\n .endr" : "+r"(value));
    }
}

#define ROW(name, body, clobbers...)                                        \
    static void name(void) {                                                \
        double *p = block;                                                  \
        for (long i = 0; i < ITERATIONS; ++i) {                             \
            __asm__ volatile(body : : "r"(p) : "memory", clobbers);         \
        }                                                                   \
    }
#define XMM "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7"

ROW(load128, "vmovapd (%0), %%xmm0\n vmovapd 16(%0), %%xmm1\n vmovapd 32(%0), %%xmm2\n vmovapd 48(%0), %%xmm3\n"
             "vmovapd 64(%0), %%xmm4\n vmovapd 80(%0), %%xmm5\n vmovapd 96(%0), %%xmm6\n vmovapd 112(%0), %%xmm7", XMM)
ROW(load256, "vmovapd (%0), %%ymm0\n vmovapd 32(%0), %%ymm1\n vmovapd 64(%0), %%ymm2\n vmovapd 96(%0), %%ymm3\n"
             "vmovapd 128(%0), %%ymm4\n vmovapd 160(%0), %%ymm5\n vmovapd 192(%0), %%ymm6\n vmovapd 224(%0), %%ymm7", XMM)
ROW(load256_split, "vmovupd 48(%0), %%ymm0\n vmovupd 112(%0), %%ymm1\n vmovupd 176(%0), %%ymm2\n vmovupd 240(%0), %%ymm3\n"
                   "vmovupd 304(%0), %%ymm4\n vmovupd 368(%0), %%ymm5\n vmovupd 432(%0), %%ymm6\n vmovupd 496(%0), %%ymm7", XMM)
ROW(store128, "vmovapd %%xmm0, (%0)\n vmovapd %%xmm1, 16(%0)\n vmovapd %%xmm2, 32(%0)\n vmovapd %%xmm3, 48(%0)\n"
              "vmovapd %%xmm4, 64(%0)\n vmovapd %%xmm5, 80(%0)\n vmovapd %%xmm6, 96(%0)\n vmovapd %%xmm7, 112(%0)", XMM)
ROW(store256, "vmovapd %%ymm0, (%0)\n vmovapd %%ymm1, 32(%0)\n vmovapd %%ymm2, 64(%0)\n vmovapd %%ymm3, 96(%0)\n"
              "vmovapd %%ymm4, 128(%0)\n vmovapd %%ymm5, 160(%0)\n vmovapd %%ymm6, 192(%0)\n vmovapd %%ymm7, 224(%0)", XMM)
/* memcpy's pattern: per 32 bytes one load and one store (loads from the first 2 KiB, stores to the second). */
ROW(copy256, "vmovapd (%0), %%ymm0\n vmovapd %%ymm0, 2048(%0)\n vmovapd 32(%0), %%ymm1\n vmovapd %%ymm1, 2080(%0)\n"
             "vmovapd 64(%0), %%ymm2\n vmovapd %%ymm2, 2112(%0)\n vmovapd 96(%0), %%ymm3\n vmovapd %%ymm3, 2144(%0)", XMM)
/* JSA's pattern: per 32 bytes written, two loads and one store. */
ROW(jsa256, "vmovapd (%0), %%ymm0\n vmovapd 512(%0), %%ymm1\n vmovapd %%ymm0, 2048(%0)\n"
            "vmovapd 32(%0), %%ymm2\n vmovapd 544(%0), %%ymm3\n vmovapd %%ymm2, 2080(%0)\n"
            "vmovapd 64(%0), %%ymm4\n vmovapd 576(%0), %%ymm5\n vmovapd %%ymm4, 2112(%0)\n"
            "vmovapd 96(%0), %%ymm6\n vmovapd 608(%0), %%ymm7\n vmovapd %%ymm6, 2144(%0)", XMM)
ROW(add256, "vaddpd %%ymm0, %%ymm0, %%ymm0\n vaddpd %%ymm1, %%ymm1, %%ymm1\n vaddpd %%ymm2, %%ymm2, %%ymm2\n"
            "vaddpd %%ymm3, %%ymm3, %%ymm3\n vaddpd %%ymm4, %%ymm4, %%ymm4\n vaddpd %%ymm5, %%ymm5, %%ymm5\n"
            "vaddpd %%ymm6, %%ymm6, %%ymm6\n vaddpd %%ymm7, %%ymm7, %%ymm7", XMM)
ROW(perm256, "vperm2f128 $0x21, %%ymm0, %%ymm1, %%ymm2\n vperm2f128 $0x21, %%ymm0, %%ymm1, %%ymm3\n"
             "vperm2f128 $0x21, %%ymm0, %%ymm1, %%ymm4\n vperm2f128 $0x21, %%ymm0, %%ymm1, %%ymm5\n"
             "vperm2f128 $0x21, %%ymm1, %%ymm0, %%ymm6\n vperm2f128 $0x21, %%ymm1, %%ymm0, %%ymm7\n"
             "vperm2f128 $0x21, %%ymm0, %%ymm0, %%ymm2\n vperm2f128 $0x21, %%ymm1, %%ymm1, %%ymm3", XMM)
ROW(mul256, "vmulpd %%ymm8, %%ymm0, %%ymm0\n vmulpd %%ymm8, %%ymm1, %%ymm1\n vmulpd %%ymm8, %%ymm2, %%ymm2\n"
            "vmulpd %%ymm8, %%ymm3, %%ymm3\n vmulpd %%ymm8, %%ymm4, %%ymm4\n vmulpd %%ymm8, %%ymm5, %%ymm5\n"
            "vmulpd %%ymm8, %%ymm6, %%ymm6\n vmulpd %%ymm8, %%ymm7, %%ymm7", XMM, "xmm8")
/* The vector work of one lane-permute vector: a vperm2f128, an add and a multiply, independent of
 * one another (per triple). Where the permute shares a pipe with the add or the multiply, the
 * triple takes longer than the permute alone. */
ROW(perm_add_mul256, "vperm2f128 $0x21, %%ymm8, %%ymm9, %%ymm0\n vaddpd %%ymm8, %%ymm1, %%ymm1\n vmulpd %%ymm8, %%ymm2, %%ymm2\n"
                     "vperm2f128 $0x21, %%ymm8, %%ymm9, %%ymm3\n vaddpd %%ymm8, %%ymm4, %%ymm4\n vmulpd %%ymm8, %%ymm5, %%ymm5\n"
                     "vperm2f128 $0x21, %%ymm8, %%ymm9, %%ymm6\n vaddpd %%ymm8, %%ymm7, %%ymm7\n vmulpd %%ymm8, %%ymm10, %%ymm10\n"
                     "vperm2f128 $0x21, %%ymm8, %%ymm9, %%ymm11\n vaddpd %%ymm8, %%ymm12, %%ymm12\n vmulpd %%ymm8, %%ymm13, %%ymm13",
    XMM, "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13")
/* The other ways AVX2 moves doubles within and across the 128-bit lanes, which the odd periods'
 * rings use (vshufpd) or were measured against (docs/store-limit.md, "Odd periods"): in-lane
 * vshufpd and vblendpd; lane-crossing vinsertf128 and vpermpd; vbroadcastf128, a 16-byte load into
 * both lanes. */
ROW(shuf256, "vshufpd $5, %%ymm9, %%ymm8, %%ymm0\n vshufpd $5, %%ymm9, %%ymm8, %%ymm1\n vshufpd $5, %%ymm9, %%ymm8, %%ymm2\n"
             "vshufpd $5, %%ymm9, %%ymm8, %%ymm3\n vshufpd $5, %%ymm9, %%ymm8, %%ymm4\n vshufpd $5, %%ymm9, %%ymm8, %%ymm5\n"
             "vshufpd $5, %%ymm9, %%ymm8, %%ymm6\n vshufpd $5, %%ymm9, %%ymm8, %%ymm7", XMM, "xmm8", "xmm9")
ROW(blend256, "vblendpd $3, %%ymm9, %%ymm8, %%ymm0\n vblendpd $3, %%ymm9, %%ymm8, %%ymm1\n vblendpd $3, %%ymm9, %%ymm8, %%ymm2\n"
              "vblendpd $3, %%ymm9, %%ymm8, %%ymm3\n vblendpd $3, %%ymm9, %%ymm8, %%ymm4\n vblendpd $3, %%ymm9, %%ymm8, %%ymm5\n"
              "vblendpd $3, %%ymm9, %%ymm8, %%ymm6\n vblendpd $3, %%ymm9, %%ymm8, %%ymm7", XMM, "xmm8", "xmm9")
ROW(insert128, "vinsertf128 $1, %%xmm9, %%ymm8, %%ymm0\n vinsertf128 $1, %%xmm9, %%ymm8, %%ymm1\n"
               "vinsertf128 $1, %%xmm9, %%ymm8, %%ymm2\n vinsertf128 $1, %%xmm9, %%ymm8, %%ymm3\n"
               "vinsertf128 $1, %%xmm9, %%ymm8, %%ymm4\n vinsertf128 $1, %%xmm9, %%ymm8, %%ymm5\n"
               "vinsertf128 $1, %%xmm9, %%ymm8, %%ymm6\n vinsertf128 $1, %%xmm9, %%ymm8, %%ymm7", XMM, "xmm8", "xmm9")
ROW(permpd256, "vpermpd $0x39, %%ymm8, %%ymm0\n vpermpd $0x39, %%ymm8, %%ymm1\n vpermpd $0x39, %%ymm8, %%ymm2\n"
               "vpermpd $0x39, %%ymm8, %%ymm3\n vpermpd $0x39, %%ymm8, %%ymm4\n vpermpd $0x39, %%ymm8, %%ymm5\n"
               "vpermpd $0x39, %%ymm8, %%ymm6\n vpermpd $0x39, %%ymm8, %%ymm7", XMM, "xmm8")
ROW(broadcast128, "vbroadcastf128 (%0), %%ymm0\n vbroadcastf128 16(%0), %%ymm1\n vbroadcastf128 32(%0), %%ymm2\n"
                  "vbroadcastf128 48(%0), %%ymm3\n vbroadcastf128 64(%0), %%ymm4\n vbroadcastf128 80(%0), %%ymm5\n"
                  "vbroadcastf128 96(%0), %%ymm6\n vbroadcastf128 112(%0), %%ymm7", XMM)
/* The vector work of a lagged vector the odd rings join: a vshufpd beside an add and a multiply
 * (per triple; the vperm2f128 beside them is perm_add_mul256). */
ROW(shuf_add_mul256, "vshufpd $5, %%ymm9, %%ymm8, %%ymm0\n vaddpd %%ymm8, %%ymm1, %%ymm1\n vmulpd %%ymm8, %%ymm2, %%ymm2\n"
                     "vshufpd $5, %%ymm9, %%ymm8, %%ymm3\n vaddpd %%ymm8, %%ymm4, %%ymm4\n vmulpd %%ymm8, %%ymm5, %%ymm5\n"
                     "vshufpd $5, %%ymm9, %%ymm8, %%ymm6\n vaddpd %%ymm8, %%ymm7, %%ymm7\n vmulpd %%ymm8, %%ymm10, %%ymm10\n"
                     "vshufpd $5, %%ymm9, %%ymm8, %%ymm11\n vaddpd %%ymm8, %%ymm12, %%ymm12\n vmulpd %%ymm8, %%ymm13, %%ymm13",
    XMM, "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13")
ROW(load512, "vmovapd (%0), %%zmm0\n vmovapd 64(%0), %%zmm1\n vmovapd 128(%0), %%zmm2\n vmovapd 192(%0), %%zmm3\n"
             "vmovapd 256(%0), %%zmm4\n vmovapd 320(%0), %%zmm5\n vmovapd 384(%0), %%zmm6\n vmovapd 448(%0), %%zmm7", XMM)
ROW(store512, "vmovapd %%zmm0, (%0)\n vmovapd %%zmm1, 64(%0)\n vmovapd %%zmm2, 128(%0)\n vmovapd %%zmm3, 192(%0)\n"
              "vmovapd %%zmm4, 256(%0)\n vmovapd %%zmm5, 320(%0)\n vmovapd %%zmm6, 384(%0)\n vmovapd %%zmm7, 448(%0)", XMM)
ROW(copy512, "vmovapd (%0), %%zmm0\n vmovapd %%zmm0, 2048(%0)\n vmovapd 64(%0), %%zmm1\n vmovapd %%zmm1, 2112(%0)\n"
             "vmovapd 128(%0), %%zmm2\n vmovapd %%zmm2, 2176(%0)\n vmovapd 192(%0), %%zmm3\n vmovapd %%zmm3, 2240(%0)", XMM)
ROW(jsa512, "vmovapd (%0), %%zmm0\n vmovapd 512(%0), %%zmm1\n vmovapd %%zmm0, 2048(%0)\n"
            "vmovapd 64(%0), %%zmm2\n vmovapd 576(%0), %%zmm3\n vmovapd %%zmm2, 2112(%0)\n"
            "vmovapd 128(%0), %%zmm4\n vmovapd 640(%0), %%zmm5\n vmovapd %%zmm4, 2176(%0)\n"
            "vmovapd 192(%0), %%zmm6\n vmovapd 704(%0), %%zmm7\n vmovapd %%zmm6, 2240(%0)", XMM)
/* vpermt2pd overwrites its first table operand, so each instruction depends on the last one that
 * wrote its register: fourteen registers, each written once per block, keep fourteen chains apart,
 * enough for the instruction's latency not to bind (until 2026-12-05 the row had eight, two of them
 * written twice, and measured that chain: 1.25 cycles on AMD Zen 4 and Zen 5, where the mended row
 * reads 0.50 on Zen 5). */
ROW(perm512, "vpermt2pd %%zmm0, %%zmm1, %%zmm2\n vpermt2pd %%zmm0, %%zmm1, %%zmm3\n vpermt2pd %%zmm0, %%zmm1, %%zmm4\n"
             "vpermt2pd %%zmm0, %%zmm1, %%zmm5\n vpermt2pd %%zmm0, %%zmm1, %%zmm6\n vpermt2pd %%zmm0, %%zmm1, %%zmm7\n"
             "vpermt2pd %%zmm0, %%zmm1, %%zmm8\n vpermt2pd %%zmm0, %%zmm1, %%zmm9\n vpermt2pd %%zmm0, %%zmm1, %%zmm10\n"
             "vpermt2pd %%zmm0, %%zmm1, %%zmm11\n vpermt2pd %%zmm0, %%zmm1, %%zmm12\n vpermt2pd %%zmm0, %%zmm1, %%zmm13\n"
             "vpermt2pd %%zmm0, %%zmm1, %%zmm14\n vpermt2pd %%zmm0, %%zmm1, %%zmm15",
    XMM, "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15")

static int compare_doubles(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The index of `name` in names[0, count); the rows named below are always there. */
static int row_index(const char *const names[], int count, const char *name) {
    for (int k = 0; k < count; ++k) {
        if (strcmp(names[k], name) == 0) return k;
    }
    abort();
}

int main(void) {
    __builtin_cpu_init();
    const int avx2 = __builtin_cpu_supports("avx2"), avx512 = __builtin_cpu_supports("avx512f");
    const struct {
        const char *name, *what;
        void (*fn)(void);
        int instructions, runs;
    } rows[] = {
        {"load128", "16-byte aligned loads", load128, 8, avx2},
        {"load256", "32-byte aligned loads", load256, 8, avx2},
        {"load256_split", "32-byte loads, each across two cache lines", load256_split, 8, avx2},
        {"store128", "16-byte aligned stores", store128, 8, avx2},
        {"store256", "32-byte aligned stores", store256, 8, avx2},
        {"copy256", "memcpy's pattern: 1 load + 1 store of 32 bytes (per pair)", copy256, 4, avx2},
        {"jsa256", "JSA's pattern: 2 loads + 1 store of 32 bytes (per triple)", jsa256, 4, avx2},
        {"add256", "independent 4-wide double adds", add256, 8, avx2},
        {"perm256", "vperm2f128, the AVX2 lane-crossing permute", perm256, 8, avx2},
        {"mul256", "independent 4-wide double multiplies", mul256, 8, avx2},
        {"perm_add_mul256", "vperm2f128 + add + multiply, independent (per triple): lane-permute's vector work", perm_add_mul256, 4, avx2},
        {"shuf256", "vshufpd, in-lane (the odd rings' second shuffle)", shuf256, 8, avx2},
        {"blend256", "vblendpd, in-lane", blend256, 8, avx2},
        {"insert128", "vinsertf128 from a register, lane-crossing", insert128, 8, avx2},
        {"permpd256", "vpermpd, lane-crossing", permpd256, 8, avx2},
        {"broadcast128", "vbroadcastf128, a 16-byte load into both lanes", broadcast128, 8, avx2},
        {"shuf_add_mul256", "vshufpd + add + multiply, independent (per triple)", shuf_add_mul256, 4, avx2},
        {"load512", "64-byte aligned loads", load512, 8, avx512},
        {"store512", "64-byte aligned stores", store512, 8, avx512},
        {"copy512", "memcpy's pattern, 64 bytes (per pair)", copy512, 4, avx512},
        {"jsa512", "JSA's pattern, 64 bytes (per triple)", jsa512, 4, avx512},
        {"perm512", "vpermt2pd, the AVX-512 kernel's two-source permute", perm512, 14, avx512},
    };
    enum { COUNT = sizeof rows / sizeof rows[0] };
    if (!avx2) {
        fprintf(stderr, "core-ports: this CPU has no AVX2; nothing to measure\n");
        return 69;
    }
    static double cycles[COUNT][ROUNDS];
    for (int round = 0; round < ROUNDS; ++round) {
        double start = now_ns();
        chain();
        const double per_add = (now_ns() - start) / (ITERATIONS * 16.0);
        for (int k = 0; k < COUNT; ++k) {
            if (!rows[k].runs) continue;
            start = now_ns();
            rows[k].fn();
            cycles[k][round] = (now_ns() - start) / ((double)ITERATIONS * rows[k].instructions) / per_add;
        }
    }
    printf("core-ports: cycles per instruction (per pair or triple for the patterns), median over %d rounds;\n"
           "one cycle = one dependent 64-bit add in the same round\n", ROUNDS);
    double median[COUNT];
    for (int k = 0; k < COUNT; ++k) {
        if (!rows[k].runs) {
            printf("%-15s %8s  %s (not on this CPU)\n", rows[k].name, "-", rows[k].what);
            continue;
        }
        qsort(cycles[k], ROUNDS, sizeof(double), compare_doubles);
        median[k] = cycles[k][ROUNDS / 2];
        printf("%-15s %8.2f  %s\n", rows[k].name, median[k], rows[k].what);
    }
    /* A row's median by name (every row named here runs wherever its kernel's ISA does). */
    const char *names[COUNT];
    for (int k = 0; k < COUNT; ++k) names[k] = rows[k].name;
#define MEDIAN_OF(row_name) median[row_index(names, COUNT, row_name)]
    const double jsa256 = MEDIAN_OF("jsa256"), copy256 = MEDIAN_OF("copy256"), permuted = MEDIAN_OF("perm_add_mul256");
    printf("JSA's floor at L1 with 32-byte vectors: %.2fx a copy loop's time (jsa256 over copy256; glibc's memcpy against such loops: scripts/store-limit)\n", jsa256 / copy256);
    printf("  with every lagged vector permuted (lane-permute): %.2fx (the larger of jsa256 and perm_add_mul256, over copy256)\n",
           (jsa256 > permuted ? jsa256 : permuted) / copy256);
    if (avx512) printf("JSA's floor at L1 with 64-byte vectors: %.2fx a copy loop's time (jsa512 over copy512)\n", MEDIAN_OF("jsa512") / MEDIAN_OF("copy512"));
#undef MEDIAN_OF
    return 0;
}

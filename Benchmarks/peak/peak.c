// Peak int8 multiply-accumulate throughput of one core: independent chains of one instruction, no loads.
//   clang -O2 peak.c -o peak && ./peak
// GOPS = 2 · MACs / s. vpmaddwd ymm: 16 MACs (int16 pairs); vpdpbusd ymm (AVX-VNNI): 32 MACs (u8×s8 quads);
// vpdpbusd zmm (AVX-512 VNNI): 64 MACs. Each is run only where the CPU has it.
#include <cpuid.h>
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define ITERATIONS 50000000L
#define CHAINS(op) \
    for (long i = 0; i < ITERATIONS; i++) { \
        op(c0); op(c1); op(c2); op(c3); op(c4); op(c5); op(c6); op(c7); op(c8); op(c9); \
    }

__attribute__((target("avx2"))) static double madd(void) {
    __m256i a = _mm256_set1_epi16(3), b = _mm256_set1_epi16(5);
    __m256i c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a;
    double start = now();
#define MADD(c) c = _mm256_add_epi32(c, _mm256_madd_epi16(a, b)); __asm__ volatile("" : "+x"(c));
    CHAINS(MADD)
    double seconds = now() - start;
    __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                                 _mm256_add_epi32(_mm256_add_epi32(c4, c5), _mm256_add_epi32(c6, _mm256_add_epi32(c7, _mm256_add_epi32(c8, c9)))));
    if (_mm256_extract_epi32(s, 0) == 42) puts("");
    return 2.0 * 16 * 10 * ITERATIONS / seconds / 1e9;
}

__attribute__((target("avx2,avxvnni"))) static double dpbusd256(void) {
    __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(5);
    __m256i c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a;
    double start = now();
#define DP(c) c = _mm256_dpbusd_avx_epi32(c, a, b); __asm__ volatile("" : "+x"(c));
    CHAINS(DP)
    double seconds = now() - start;
    __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                                 _mm256_add_epi32(_mm256_add_epi32(c4, c5), _mm256_add_epi32(c6, _mm256_add_epi32(c7, _mm256_add_epi32(c8, c9)))));
    if (_mm256_extract_epi32(s, 0) == 42) puts("");
    return 2.0 * 32 * 10 * ITERATIONS / seconds / 1e9;
}

__attribute__((target("avx512f,avx512vnni"))) static double dpbusd512(void) {
    __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(5);
    __m512i c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a;
    double start = now();
#define DPZ(c) c = _mm512_dpbusd_epi32(c, a, b); __asm__ volatile("" : "+v"(c));
    CHAINS(DPZ)
    double seconds = now() - start;
    __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
                                 _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, _mm512_add_epi32(c7, _mm512_add_epi32(c8, c9)))));
    if (_mm512_reduce_add_epi32(s) == 42) puts("");
    return 2.0 * 64 * 10 * ITERATIONS / seconds / 1e9;
}

int main(void) {
    __builtin_cpu_init();
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    int avx_vnni = __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && ((eax >> 4) & 1);
    if (__builtin_cpu_supports("avx2")) printf("vpmaddwd ymm (int16 pairs):       %6.1f GOPS\n", madd());
    if (avx_vnni) printf("vpdpbusd ymm (AVX-VNNI, u8 x s8):  %6.1f GOPS\n", dpbusd256());
    if (__builtin_cpu_supports("avx512vnni")) printf("vpdpbusd zmm (AVX-512 VNNI):       %6.1f GOPS\n", dpbusd512());
    return 0;
}

// Run-time instruction-set selection: one binary for every x86-64 (AVX2 only where the CPU has it).
#include "internal.h"
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

int curb_isa_available(int isa) {
    switch (isa) {
    case CURB_ISA_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case CURB_ISA_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? 1 : 0;
    case CURB_ISA_AVX2_VNNI: {
        // AVX-VNNI: CPUID leaf 7, sub-leaf 1, EAX bit 4 (the OS saves YMM state: AVX2 was checked).
        unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
        if (!curb_isa_available(CURB_ISA_AVX2) || !__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
        return (eax >> 4) & 1;
    }
    case CURB_ISA_AVX512_VNNI:
        __builtin_cpu_init();
        return curb_isa_available(CURB_ISA_AVX2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#endif
#if defined(__aarch64__)
    case CURB_ISA_NEON:
        return 1;
#if defined(__ARM_FEATURE_DOTPROD)
    case CURB_ISA_NEON_DOT:
#if defined(__linux__)
        return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) ? 1 : 0;
#else
        return 0;
#endif
#endif
#endif
    default:
        return 0;
    }
}

#if defined(__x86_64__)
int curb_cpu_has_avx512_vbmi(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vbmi") ? 1 : 0;
}
#endif

int curb_best_isa(void) {
#if defined(__x86_64__)
    if (curb_isa_available(CURB_ISA_AVX512_VNNI)) return CURB_ISA_AVX512_VNNI;
    if (curb_isa_available(CURB_ISA_AVX2_VNNI)) return CURB_ISA_AVX2_VNNI;
    if (curb_isa_available(CURB_ISA_AVX2)) return CURB_ISA_AVX2;
#endif
#if defined(__aarch64__)
    if (curb_isa_available(CURB_ISA_NEON_DOT)) return CURB_ISA_NEON_DOT;
    return CURB_ISA_NEON;
#endif
    return CURB_ISA_PORTABLE;
}

void curb_requantize_row(int isa, const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                         const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                         int32_t output_zero_point, int32_t activation_min, int32_t activation_max, int8_t *output) {
#if defined(__x86_64__)
    if (curb_isa_is_avx2(isa)) {
        curb_requantize_row_avx2(accumulators, offset, multiplier, left_shift, right_shift, count, output_zero_point,
                                 activation_min, activation_max, output);
        return;
    }
#endif
#if defined(__aarch64__)
    if (isa == CURB_ISA_NEON || isa == CURB_ISA_NEON_DOT) {
        curb_requantize_row_neon(accumulators, offset, multiplier, left_shift, right_shift, count, output_zero_point,
                                 activation_min, activation_max, output);
        return;
    }
#endif
    (void)isa;
    for (int32_t i = 0; i < count; i++) {
        output[i] = curb_requantize_one(accumulators[i], offset[i], multiplier[i], left_shift[i], right_shift[i],
                                        output_zero_point, activation_min, activation_max);
    }
}

#include <unistd.h>
int curb_processor_count(void) {
    long count = sysconf(_SC_NPROCESSORS_ONLN);
    return count < 1 ? 1 : (int)count;
}

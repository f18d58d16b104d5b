// AVX2 ADD row: 16 elements per step, the three rescalings in 32-bit lanes with 64-bit products (the same
// arithmetic as requantize8), a stride-0 side broadcast once. Computes exactly the portable row's bits.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include "requantize_avx2.h"

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

/// 16 int8 → 2 × 8 int32 of (value + offset) << left_shift.
static inline void widen16(__m128i bytes, __m256i offset, __m128i left, __m256i *low, __m256i *high) {
    __m256i words = _mm256_add_epi32(_mm256_cvtepi8_epi32(bytes), offset);
    *low = _mm256_sll_epi32(words, left);
    words = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_srli_si128(bytes, 8)), offset);
    *high = _mm256_sll_epi32(words, left);
}

void curb_add_row_avx2(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count) {
    const __m256i offset1 = _mm256_set1_epi32(p->input1_offset), offset2 = _mm256_set1_epi32(p->input2_offset);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift);
    const __m256i multiplier1 = _mm256_set1_epi32(p->input1_multiplier), right1 = _mm256_set1_epi32(p->input1_right_shift);
    const __m256i multiplier2 = _mm256_set1_epi32(p->input2_multiplier), right2 = _mm256_set1_epi32(p->input2_right_shift);
    const __m256i multiplier = _mm256_set1_epi32(p->output_multiplier), right = _mm256_set1_epi32(p->output_right_shift);
    const __m256i zero_point = _mm256_set1_epi32(p->output_zero_point);
    const __m256i minimum = _mm256_set1_epi32(p->activation_min), maximum = _mm256_set1_epi32(p->activation_max);
    // A broadcast side (step 0) is the same vector for the whole row: rescale it once.
    __m256i fixed1 = _mm256_setzero_si256(), fixed2 = _mm256_setzero_si256();
    if (p->inner_step1 == 0) {
        __m256i low, high;
        widen16(_mm_set1_epi8(a[0]), offset1, left, &low, &high);
        fixed1 = scale8(low, multiplier1, right1);
    }
    if (p->inner_step2 == 0) {
        __m256i low, high;
        widen16(_mm_set1_epi8(b[0]), offset2, left, &low, &high);
        fixed2 = scale8(low, multiplier2, right2);
    }
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i x0 = fixed1, x1 = fixed1, y0 = fixed2, y1 = fixed2;
        if (p->inner_step1) {
            widen16(_mm_loadu_si128((const __m128i *)(a + i)), offset1, left, &x0, &x1);
            x0 = scale8(x0, multiplier1, right1);
            x1 = scale8(x1, multiplier1, right1);
        }
        if (p->inner_step2) {
            widen16(_mm_loadu_si128((const __m128i *)(b + i)), offset2, left, &y0, &y1);
            y0 = scale8(y0, multiplier2, right2);
            y1 = scale8(y1, multiplier2, right2);
        }
        __m256i r0 = _mm256_add_epi32(scale8(_mm256_add_epi32(x0, y0), multiplier, right), zero_point);
        __m256i r1 = _mm256_add_epi32(scale8(_mm256_add_epi32(x1, y1), multiplier, right), zero_point);
        r0 = _mm256_min_epi32(_mm256_max_epi32(r0, minimum), maximum);
        r1 = _mm256_min_epi32(_mm256_max_epi32(r1, minimum), maximum);
        _mm_storeu_si128((__m128i *)(out + i), narrow16(r0, r1));
    }
    for (; i < count; i++) out[i] = curb_add_one(p, a[i * p->inner_step1], b[i * p->inner_step2]);
}

#pragma clang attribute pop
#endif

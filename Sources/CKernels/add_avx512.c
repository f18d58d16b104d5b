// AVX-512 ADD row: add_avx2.c's arithmetic on 16 lanes per vector, the row's tail under a mask instead of the
// scalar loop. Computes exactly the portable row's bits.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include "requantize_avx512.h"

#pragma clang attribute push(__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl"))), apply_to = function)

/// 16 int8 → int32 (value + offset) << left_shift, rescaled by MBQM (multiplier < 1: no left shift inside).
static inline __m512i rescale(__m128i bytes, __m512i offset, __m128i left, __m512i multiplier, __m512i right) {
    __m512i shifted = _mm512_sll_epi32(_mm512_add_epi32(_mm512_cvtepi8_epi32(bytes), offset), left);
    return scale16(shifted, multiplier, _mm512_setzero_si512(), right, _mm512_setzero_si512(), 0);
}

void curb_add_row_avx512(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count) {
    const __m512i offset1 = _mm512_set1_epi32(p->input1_offset), offset2 = _mm512_set1_epi32(p->input2_offset);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift);
    const __m512i multiplier1 = _mm512_set1_epi32(p->input1_multiplier), right1 = _mm512_set1_epi32(p->input1_right_shift);
    const __m512i multiplier2 = _mm512_set1_epi32(p->input2_multiplier), right2 = _mm512_set1_epi32(p->input2_right_shift);
    const __m512i multiplier = _mm512_set1_epi32(p->output_multiplier), right = _mm512_set1_epi32(p->output_right_shift);
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi32(p->activation_min), maximum = _mm512_set1_epi32(p->activation_max);
    // A broadcast side (step 0) is the same vector for the whole row: rescale it once.
    __m512i fixed1 = _mm512_setzero_si512(), fixed2 = _mm512_setzero_si512();
    if (p->inner_step1 == 0) fixed1 = rescale(_mm_set1_epi8(a[0]), offset1, left, multiplier1, right1);
    if (p->inner_step2 == 0) fixed2 = rescale(_mm_set1_epi8(b[0]), offset2, left, multiplier2, right2);
    for (int64_t i = 0; i < count; i += 16) {
        __mmask16 valid = count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        __m512i x = p->inner_step1 ? rescale(_mm_maskz_loadu_epi8(valid, a + i), offset1, left, multiplier1, right1) : fixed1;
        __m512i y = p->inner_step2 ? rescale(_mm_maskz_loadu_epi8(valid, b + i), offset2, left, multiplier2, right2) : fixed2;
        __m512i r = scale16(_mm512_add_epi32(x, y), multiplier, _mm512_setzero_si512(), right, zero_point, 0);
        r = _mm512_min_epi32(_mm512_max_epi32(r, minimum), maximum);
        _mm_mask_storeu_epi8(out + i, valid, _mm512_cvtepi32_epi8(r));
    }
}

#pragma clang attribute pop
#endif

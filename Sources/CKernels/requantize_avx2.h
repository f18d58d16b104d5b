// The AVX2 requantization shared by the AVX2 kernels (included inside their target("avx2") region).
#ifndef CURB_REQUANTIZE_AVX2_H
#define CURB_REQUANTIZE_AVX2_H
#include <immintrin.h>
#include <string.h>
#include "internal.h"

/// RDBPOT(SRDHM(x, multiplier), right) on 8 lanes (MultiplyByQuantizedMultiplier after its left shift);
/// multipliers ≥ 0.
static inline __attribute__((target("avx2,fma"))) __m256i scale8(__m256i x, __m256i multiplier, __m256i right) {
    // SRDHM: (p + nudge) / 2^31 truncated toward zero, with nudge 2^30 for p ≥ 0 and 1 − 2^30 for p < 0, equals
    // floor((p + 2^30) / 2^31) for every p (for p < 0 the truncation is a ceiling: ceil((p + 1 − 2^30) / 2^31)
    // = floor((p + 1 − 2^30 + 2^31 − 1) / 2^31)). So: 64-bit products of the even and the odd lanes, + 2^30,
    // and bits 31…62 are the quotient (an arithmetic shift; |p| ≤ 2^62, so the sum cannot overflow).
    const __m256i half = _mm256_set1_epi64x(INT64_C(1) << 30);
    __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, multiplier), half);
    __m256i odd = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(multiplier, 32)), half);
    __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
    // The multiplier is never INT32_MIN (it is ≥ 0), so SRDHM's one saturating case cannot occur.
    // RDBPOT: (x >> e) + (remainder > (mask >> 1) + (x < 0)).
    __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), right), _mm256_set1_epi32(1));
    __m256i remainder = _mm256_and_si256(high, mask);
    __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_cmpgt_epi32(_mm256_setzero_si256(), high));
    return _mm256_sub_epi32(_mm256_srav_epi32(high, right), _mm256_cmpgt_epi32(remainder, threshold));
}

/// scale8 plus the zero point for layers prepare proved the one-rounding form exact for (curb_magnitude_rounding_exact):
/// sign(x) · floor((|x|·2m + 2K) / 2^(32+e)) + zero point, lanes `half`·8… of `values`. As scale16_magnitude; vpsignd
/// restores the sign (x = 0 gives 0, as the formula does). Three instructions fewer than scale8.
static inline __attribute__((target("avx2,fma"), always_inline)) __m256i scale8_magnitude(
    __m256i x, const curb_magnitude_rounding *values, int32_t half, __m256i zero_point) {
    __m256i multiplier = _mm256_load_si256((const __m256i *)(values->multiplier + 8 * half));
    __m256i magnitude = _mm256_abs_epi32(x);
    __m256i even = _mm256_add_epi64(_mm256_mul_epu32(magnitude, multiplier),
                                    _mm256_load_si256((const __m256i *)(values->rounding_even + 4 * half)));
    __m256i odd = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(magnitude, 32), _mm256_srli_epi64(multiplier, 32)),
                                   _mm256_load_si256((const __m256i *)(values->rounding_odd + 4 * half)));
    __m256i quotient = _mm256_blend_epi32(
        _mm256_srlv_epi64(even, _mm256_load_si256((const __m256i *)(values->shift_even + 4 * half))),
        _mm256_srlv_epi64(odd, _mm256_load_si256((const __m256i *)(values->shift_odd + 4 * half))), 0xAA);
    return _mm256_add_epi32(_mm256_sign_epi32(quotient, x), zero_point);
}

/// MultiplyByQuantizedMultiplier on 8 lanes, then + zero point and clamp (int32 results).
static inline __attribute__((target("avx2,fma"))) __m256i requantize8(__m256i x, __m256i multiplier, __m256i left, __m256i right, __m256i zero_point,
                                  __m256i minimum, __m256i maximum) {
    x = _mm256_sllv_epi32(x, left);                                  // wraps, as the C++ does
    __m256i result = _mm256_add_epi32(scale8(x, multiplier, right), zero_point);
    return _mm256_min_epi32(_mm256_max_epi32(result, minimum), maximum);
}

/// 16 int32 (two vectors, in order) → 16 int8.
static inline __attribute__((target("avx2,fma"))) __m128i narrow16(__m256i low, __m256i high) {
    __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(low, high), 0xD8);
    return _mm_packs_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
}

/// The AVX2 GEMM tiles' epilogue (kernels_avx2.c, kernels_vnni.c): rows of 16 accumulators (two vectors, started at
/// the channel offset), requantized and stored. `shifts_left` 0: no channel's multiplier is above 1; `full_range`: the
/// clamp is [−128, 127], which narrow16's saturating packs already are; `magnitude`: the one-rounding form
/// (p->magnitude). All are constants where it is inlined.
static inline __attribute__((target("avx2,fma"), always_inline)) void store_tile_avx2(
    const curb_conv_params *p, __m256i accumulators[4][2], int32_t block, int32_t first_row, int32_t row_count,
    int shifts_left, int full_range, int magnitude) {
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    if (columns > CURB_GEMM_COLUMNS) columns = CURB_GEMM_COLUMNS;
    __m256i multiplier[2], left[2], right[2];
    for (int32_t half = 0; half < 2; half++) {
        multiplier[half] = _mm256_load_si256((const __m256i *)(p->multiplier + first_channel + 8 * half));
        left[half] = _mm256_load_si256((const __m256i *)(p->left_shift + first_channel + 8 * half));
        right[half] = _mm256_load_si256((const __m256i *)(p->right_shift + first_channel + 8 * half));
    }
    const __m256i zero_point = _mm256_set1_epi32(p->output_zero_point);
    const __m256i minimum = _mm256_set1_epi32(p->activation_min), maximum = _mm256_set1_epi32(p->activation_max);
    int8_t *out = p->output + (size_t)first_row * p->output_channels + first_channel;
    for (int32_t r = 0; r < row_count; r++, out += p->output_channels) {
        __m256i result[2];
        for (int32_t half = 0; half < 2; half++) {
            __m256i x = accumulators[r][half];
            if (shifts_left) x = _mm256_sllv_epi32(x, left[half]);   // wraps, as the C++ does
            result[half] = magnitude ? scale8_magnitude(x, p->magnitude + block, half, zero_point)
                                     : _mm256_add_epi32(scale8(x, multiplier[half], right[half]), zero_point);
            if (!full_range) result[half] = _mm256_min_epi32(_mm256_max_epi32(result[half], minimum), maximum);
        }
        __m128i bytes = narrow16(result[0], result[1]);
        if (columns == CURB_GEMM_COLUMNS) {
            _mm_storeu_si128((__m128i *)out, bytes);
        } else {
            int8_t staged[16];
            _mm_storeu_si128((__m128i *)staged, bytes);
            memcpy(out, staged, (size_t)columns);
        }
    }
}

/// store_tile_avx2 in the variant the layer's values allow.
static inline __attribute__((target("avx2,fma"), always_inline)) void store_tile_avx2_for(
    const curb_conv_params *p, __m256i accumulators[4][2], int32_t block, int32_t first_row, int32_t row_count) {
    int full_range = p->activation_min == -128 && p->activation_max == 127;
    if (p->magnitude && full_range) {
        store_tile_avx2(p, accumulators, block, first_row, row_count, 0, 1, 1);
    } else if (p->magnitude) {
        store_tile_avx2(p, accumulators, block, first_row, row_count, 0, 0, 1);
    } else if (!p->shifts_left && full_range) {
        store_tile_avx2(p, accumulators, block, first_row, row_count, 0, 1, 0);
    } else if (!p->shifts_left) {
        store_tile_avx2(p, accumulators, block, first_row, row_count, 0, 0, 0);
    } else {
        store_tile_avx2(p, accumulators, block, first_row, row_count, 1, 0, 0);
    }
}

#endif

// The AVX-512 requantization shared by the AVX-512 kernels.
#ifndef CURB_REQUANTIZE_AVX512_H
#define CURB_REQUANTIZE_AVX512_H
#include <immintrin.h>
#include "internal.h"

/// MultiplyByQuantizedMultiplier on 16 lanes, then + zero point (wrapping), not clamped: requantize8's arithmetic
/// (see requantize_avx2.h for why SRDHM is floor((p + 2^30) / 2^31)). `shifts_left` 0 skips the left shift (every
/// lane's is 0).
static inline __attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) __m512i scale16(
    __m512i x, __m512i multiplier, __m512i left, __m512i right, __m512i zero_point, int shifts_left) {
    const __m512i half = _mm512_set1_epi64(INT64_C(1) << 30), one = _mm512_set1_epi32(1);
    if (shifts_left) x = _mm512_sllv_epi32(x, left);                 // wraps, as the C++ does
    __m512i even = _mm512_add_epi64(_mm512_mul_epi32(x, multiplier), half);
    __m512i odd = _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(multiplier, 32)), half);
    __m512i high = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 31), _mm512_slli_epi64(odd, 1));
    // RDBPOT: (x >> e) + (remainder > (mask >> 1) + (x < 0)).
    __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
    __m512i remainder = _mm512_and_si512(high, mask);
    __m512i threshold = _mm512_srli_epi32(mask, 1);
    threshold = _mm512_mask_add_epi32(threshold, _mm512_cmplt_epi32_mask(high, _mm512_setzero_si512()), threshold, one);
    __m512i result = _mm512_srav_epi32(high, right);
    result = _mm512_mask_add_epi32(result, _mm512_cmpgt_epi32_mask(remainder, threshold), result, one);
    return _mm512_add_epi32(result, zero_point);
}

/// A block's curb_magnitude_rounding in registers.
typedef struct magnitude_values {
    __m512i multiplier, multiplier_odd, rounding_even, rounding_odd, shift_even, shift_odd;
} magnitude_values;

static inline __attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) magnitude_values load_magnitude(
    const curb_magnitude_rounding *values) {
    magnitude_values loaded;
    loaded.multiplier = _mm512_load_si512(values->multiplier);
    loaded.multiplier_odd = _mm512_srli_epi64(loaded.multiplier, 32);
    loaded.rounding_even = _mm512_load_si512(values->rounding_even);
    loaded.rounding_odd = _mm512_load_si512(values->rounding_odd);
    loaded.shift_even = _mm512_load_si512(values->shift_even);
    loaded.shift_odd = _mm512_load_si512(values->shift_odd);
    return loaded;
}

/// scale16 without left shifts, for layers prepare proved it exact for (curb_magnitude_rounding_exact): the two
/// roundings composed into one floor of the magnitude, sign(x) · floor((|x|·2m + 2K) / 2^(32+e)), so the rounding
/// offset does not depend on the sign. Odd lanes shift by e alone and leave their quotient in the high half of the
/// 64-bit lane, where the blend takes it. Four instructions fewer than scale16.
static inline __attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) __m512i scale16_magnitude(
    __m512i x, const magnitude_values *values, __m512i zero_point) {
    __m512i magnitude = _mm512_abs_epi32(x);
    __mmask16 negative = _mm512_cmplt_epi32_mask(x, _mm512_setzero_si512());
    __m512i even = _mm512_add_epi64(_mm512_mul_epu32(magnitude, values->multiplier), values->rounding_even);
    __m512i odd = _mm512_add_epi64(_mm512_mul_epu32(_mm512_srli_epi64(magnitude, 32), values->multiplier_odd),
                                   values->rounding_odd);
    __m512i quotient = _mm512_mask_blend_epi32(0xAAAA, _mm512_srlv_epi64(even, values->shift_even),
                                               _mm512_srlv_epi64(odd, values->shift_odd));
    return _mm512_mask_sub_epi32(_mm512_add_epi32(zero_point, quotient), negative, zero_point, quotient);
}

/// scale16, then clamped to [minimum, maximum] (int32 results).
static inline __attribute__((target("avx512f,avx512bw,avx512vl"))) __m512i requantize16(__m512i x, __m512i multiplier, __m512i left, __m512i right, __m512i zero_point,
                                   __m512i minimum, __m512i maximum) {
    __m512i result = scale16(x, multiplier, left, right, zero_point, 1);
    return _mm512_min_epi32(_mm512_max_epi32(result, minimum), maximum);
}

#endif

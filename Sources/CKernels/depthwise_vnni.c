// AVX-VNNI depthwise row for 3x3 layers in the quad layout (see curb_depthwise_params): blocks of 32 channels,
// a kernel column's three taps (+128 as uint8, and a pad that meets zero weights) as one 256-bit vpdpbusd quad per
// channel, so four multiply-adds cover the column where the AVX2 row needs sign extensions, pair unpacks and
// twelve vpmaddwd + vpaddd. vpdpbusd sums exactly (no saturation). A tap outside the input reads the zero-point
// row, whose products the offsets take away, as in the AVX-512 rows. The layer's other channels take the AVX2 row.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include "requantize_avx2.h"

#pragma clang attribute push(__attribute__((target("avx2,fma,avxvnni"))), apply_to = function)

/// One kernel column's 32 channels as four vectors of (ky 0, ky 1, ky 2, pad) quads.
static inline __attribute__((always_inline)) void column_quads(const int8_t *row0, const int8_t *row1,
                                                               const int8_t *row2, __m256i quads[4]) {
    const __m256i bias = _mm256_set1_epi8((char)0x80);
    __m256i t0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)row0), bias);
    __m256i t1 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)row1), bias);
    __m256i t2 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)row2), bias);
    __m256i low01 = _mm256_unpacklo_epi8(t0, t1), high01 = _mm256_unpackhi_epi8(t0, t1);
    __m256i low2 = _mm256_unpacklo_epi8(t2, t2), high2 = _mm256_unpackhi_epi8(t2, t2);
    quads[0] = _mm256_unpacklo_epi16(low01, low2);
    quads[1] = _mm256_unpackhi_epi16(low01, low2);
    quads[2] = _mm256_unpacklo_epi16(high01, high2);
    quads[3] = _mm256_unpackhi_epi16(high01, high2);
}

static inline __attribute__((always_inline)) void add_column(__m256i accumulators[4], const __m256i quads[4],
                                                             const __m256i *weights) {
    for (int32_t a = 0; a < 4; a++) {
        accumulators[a] = _mm256_dpbusd_avx_epi32(accumulators[a], quads[a], _mm256_load_si256(weights + a));
    }
}

/// A pixel's 32 channels requantized (one rounding), packed back into channel order, clamped and stored.
static inline __attribute__((always_inline)) void store_pixel(const __m256i accumulators[4],
                                                              const curb_magnitude_rounding *values,
                                                              __m256i zero_point, __m256i minimum, __m256i maximum,
                                                              int8_t *out) {
    __m256i scaled[4];
    for (int32_t a = 0; a < 4; a++) scaled[a] = scale8_magnitude(accumulators[a], values + a / 2, a % 2, zero_point);
    __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(scaled[0], scaled[1]), _mm256_packs_epi32(scaled[2], scaled[3]));
    _mm256_storeu_si256((__m256i *)out, _mm256_min_epi8(_mm256_max_epi8(bytes, minimum), maximum));
}

void curb_depthwise_row_vnni(const curb_depthwise_params *p, int32_t batch, int32_t out_y) {
    const int32_t channels = p->channels, input_width = p->input_width, output_width = p->output_width;
    const int32_t stride_width = p->stride_width, padding_left = p->padding_left;
    int8_t *output_row = p->output + ((size_t)batch * p->output_height + out_y) * output_width * channels;
    const int8_t *tap_rows[9];
    int32_t tap_columns[9], interior_begin, interior_end;
    curb_depthwise_row_taps(p, batch, out_y, 3, 3, tap_rows, tap_columns, &interior_begin, &interior_end);
    const __m256i zero_point = _mm256_set1_epi32(p->output_zero_point);
    const __m256i minimum = _mm256_set1_epi8((char)p->activation_min), maximum = _mm256_set1_epi8((char)p->activation_max);
    for (int32_t c = 0; c < p->quad_channels; c += 32) {
        size_t block = (size_t)c / 32;
        const __m256i *weights = (const __m256i *)p->quad_filter + block * 12;
        const __m256i *offsets = (const __m256i *)p->quad_offset + block * 4;
        const curb_magnitude_rounding *values = p->quad_magnitude + block * 2;
        // Border pixels: each tap inside the input or on the zero-point row.
        for (int32_t out_x = 0; out_x < output_width; out_x++) {
            if (out_x == interior_begin) out_x = interior_end;
            if (out_x >= output_width) break;
            int32_t origin_x = out_x * stride_width - padding_left;
            const int8_t *sources[9];
            for (int32_t tap = 0; tap < 9; tap++) {
                int32_t x = origin_x + tap_columns[tap];
                sources[tap] = tap_rows[tap] && x >= 0 && x < input_width ? tap_rows[tap] + (size_t)x * channels + c
                                                                         : p->quad_zero_point_row;
            }
            __m256i accumulators[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
            for (int32_t kx = 0; kx < 3; kx++) {
                __m256i quads[4];
                column_quads(sources[kx], sources[3 + kx], sources[6 + kx], quads);
                add_column(accumulators, quads, weights + 4 * kx);
            }
            store_pixel(accumulators, values, zero_point, minimum, maximum, output_row + (size_t)out_x * channels + c);
        }
        // Interior pixels: the three rows' pointers at the pixel's origin, moving by one stride per pixel.
        const ptrdiff_t column = (ptrdiff_t)p->dilation_width * channels, step = (ptrdiff_t)stride_width * channels;
        ptrdiff_t origin = (ptrdiff_t)(interior_begin * stride_width - padding_left) * channels + c;
        for (int32_t out_x = interior_begin; out_x < interior_end; out_x++, origin += step) {
            __m256i accumulators[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
            for (int32_t kx = 0; kx < 3; kx++) {
                __m256i quads[4];
                column_quads(tap_rows[0] + origin + kx * column, tap_rows[3] + origin + kx * column,
                             tap_rows[6] + origin + kx * column, quads);
                add_column(accumulators, quads, weights + 4 * kx);
            }
            store_pixel(accumulators, values, zero_point, minimum, maximum, output_row + (size_t)out_x * channels + c);
        }
    }
    if (p->quad_channels < channels) curb_depthwise_row_avx2(p, batch, out_y, p->quad_channels);
}

#pragma clang attribute pop
#endif

// AVX2 versions of the micro-kernels, compiled for AVX2 by attribute (no build flags) and only called when
// the CPU reports AVX2. Each computes exactly the portable version's bits.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include <string.h>
#include "requantize_avx2.h"

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

void curb_requantize_row_avx2(const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                              const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                              int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                              int8_t *output) {
    const __m256i zero_point = _mm256_set1_epi32(output_zero_point);
    const __m256i minimum = _mm256_set1_epi32(activation_min), maximum = _mm256_set1_epi32(activation_max);
    int32_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i r[2];
        for (int h = 0; h < 2; h++) {
            int32_t j = i + 8 * h;
            __m256i x = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(accumulators + j)),
                                         _mm256_loadu_si256((const __m256i *)(offset + j)));
            r[h] = requantize8(x, _mm256_loadu_si256((const __m256i *)(multiplier + j)),
                               _mm256_loadu_si256((const __m256i *)(left_shift + j)),
                               _mm256_loadu_si256((const __m256i *)(right_shift + j)), zero_point, minimum, maximum);
        }
        _mm_storeu_si128((__m128i *)(output + i), narrow16(r[0], r[1]));
    }
    for (; i < count; i++) {
        output[i] = curb_requantize_one(accumulators[i], offset[i], multiplier[i], left_shift[i], right_shift[i],
                                        output_zero_point, activation_min, activation_max);
    }
}

void curb_conv_pack_panel_avx2(const int8_t *const rows[4], int32_t depth, int16_t *panel) {
    int32_t k = 0;
    // 8 depths of 4 rows: sign-extend, then a 4×4 transpose of (int16, int16) pairs.
    for (; k + 8 <= depth; k += 8) {
        __m128i p0 = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(rows[0] + k)));
        __m128i p1 = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(rows[1] + k)));
        __m128i p2 = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(rows[2] + k)));
        __m128i p3 = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(rows[3] + k)));
        __m128i t0 = _mm_unpacklo_epi32(p0, p1), t1 = _mm_unpacklo_epi32(p2, p3);
        __m128i t2 = _mm_unpackhi_epi32(p0, p1), t3 = _mm_unpackhi_epi32(p2, p3);
        __m128i *out = (__m128i *)(panel + (size_t)(k / 2) * 8);
        _mm_storeu_si128(out + 0, _mm_unpacklo_epi64(t0, t1));
        _mm_storeu_si128(out + 1, _mm_unpackhi_epi64(t0, t1));
        _mm_storeu_si128(out + 2, _mm_unpacklo_epi64(t2, t3));
        _mm_storeu_si128(out + 3, _mm_unpackhi_epi64(t2, t3));
    }
    for (; k < depth; k += 2) {
        for (int r = 0; r < 4; r++) {
            panel[(k / 2) * 8 + r * 2] = rows[r][k];
            panel[(k / 2) * 8 + r * 2 + 1] = k + 1 < depth ? rows[r][k + 1] : 0;
        }
    }
}

void curb_conv_tile_avx2(const curb_conv_params *p, const int16_t *panel, int32_t block, int32_t first_row,
                         int32_t row_count) {
    const int16_t *filter = p->packed_filter + (size_t)block * p->depth_pairs * CURB_GEMM_COLUMNS * 2;
    // The accumulators start at the channel offset (the epilogue adds nothing more).
    const int32_t *offset = p->channel_offset + (size_t)block * CURB_GEMM_COLUMNS;
    __m256i c00 = _mm256_load_si256((const __m256i *)offset), c01 = _mm256_load_si256((const __m256i *)(offset + 8));
    __m256i c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    const int32_t *a = (const int32_t *)panel;   // (int16, int16) pairs, one per row
    const __m256i *b = (const __m256i *)filter;
    for (int32_t pair = 0; pair < p->depth_pairs; pair++) {
        __m256i b0 = _mm256_load_si256(b + 2 * pair), b1 = _mm256_load_si256(b + 2 * pair + 1);
        __m256i a0 = _mm256_set1_epi32(a[4 * pair + 0]);
        __m256i a1 = _mm256_set1_epi32(a[4 * pair + 1]);
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(a0, b0));
        c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(a0, b1));
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(a1, b0));
        c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(a1, b1));
        __m256i a2 = _mm256_set1_epi32(a[4 * pair + 2]);
        __m256i a3 = _mm256_set1_epi32(a[4 * pair + 3]);
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(a2, b0));
        c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(a2, b1));
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(a3, b0));
        c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(a3, b1));
    }
    __m256i accumulators[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    store_tile_avx2_for(p, accumulators, block, first_row, row_count);
}

#pragma clang attribute pop
#endif

// AVX-512 VNNI GEMM micro-kernel: one 512-bit `vpdpbusd` covers a whole channel block (16 columns × 4 depths),
// so a step computes 4 rows × 2 blocks. Same exactness argument as kernels_vnni.c (non-saturating u8 × s8
// quads, +128 bias folded into the channel offset); the requantization is requantize8's on 16 lanes.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include <string.h>
#include "requantize_avx2.h"
#include "requantize_avx512.h"

#pragma clang attribute push(__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))), apply_to = function)

/// A channel block's requantization values, loaded before any output is stored (an int8 store may alias them,
/// so loads after it would be repeated for every row).
typedef struct block_values {
    __m512i offset, multiplier, left, right;
    __mmask16 columns;
} block_values;

static inline __attribute__((always_inline)) block_values load_block(const curb_conv_params *p, int32_t block) {
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    block_values values;
    values.offset = _mm512_load_si512(p->channel_offset + first_channel);
    values.multiplier = _mm512_load_si512(p->multiplier + first_channel);
    values.left = _mm512_load_si512(p->left_shift + first_channel);
    values.right = _mm512_load_si512(p->right_shift + first_channel);
    values.columns = columns >= CURB_GEMM_COLUMNS ? (__mmask16)0xFFFF : (__mmask16)((1u << columns) - 1);
    return values;
}

/// One row of one block: + channel offset, requantized, stored. `shifts_left` 0: no channel's multiplier is above
/// 1; `full_range`: the clamp is [−128, 127], which vpmovsdb's saturation already is.
static inline __attribute__((always_inline)) __m128i requantize_row(__m512i accumulator, const block_values *values,
                                                                    __m512i zero_point, __m512i minimum, __m512i maximum,
                                                                    int shifts_left, int full_range) {
    __m512i x = _mm512_add_epi32(accumulator, values->offset);
    __m512i r = scale16(x, values->multiplier, values->left, values->right, zero_point, shifts_left);
    if (!full_range) r = _mm512_min_epi32(_mm512_max_epi32(r, minimum), maximum);
    return _mm512_cvtsepi32_epi8(r);
}

static inline __attribute__((always_inline)) void tiles(const curb_conv_params *p, const uint8_t *panel,
                                                        int32_t first_block, int32_t blocks, int32_t first_row,
                                                        int32_t row_count, int shifts_left, int full_range) {
    int32_t quads = (p->depth + 3) / 4;
    const int32_t *a = (const int32_t *)panel;
    const __m512i *b0 = (const __m512i *)((const int8_t *)p->packed_filter + (size_t)first_block * quads * CURB_GEMM_COLUMNS * 4);
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi32(p->activation_min), maximum = _mm512_set1_epi32(p->activation_max);
    const size_t row_stride = (size_t)p->output_channels;
    int8_t *out = p->output + (size_t)first_row * row_stride + (size_t)first_block * CURB_GEMM_COLUMNS;
    block_values first = load_block(p, first_block);
    __m512i c00 = _mm512_setzero_si512(), c10 = c00, c20 = c00, c30 = c00;
    if (blocks == 2) {
        block_values second = load_block(p, first_block + 1);
        const __m512i *b1 = b0 + quads;
        __m512i c01 = c00, c11 = c00, c21 = c00, c31 = c00;
        for (int32_t quad = 0; quad < quads; quad++) {
            __m512i w0 = _mm512_load_si512(b0 + quad), w1 = _mm512_load_si512(b1 + quad);
            __m512i a0 = _mm512_set1_epi32(a[4 * quad + 0]), a1 = _mm512_set1_epi32(a[4 * quad + 1]);
            __m512i a2 = _mm512_set1_epi32(a[4 * quad + 2]), a3 = _mm512_set1_epi32(a[4 * quad + 3]);
            c00 = _mm512_dpbusd_epi32(c00, a0, w0); c01 = _mm512_dpbusd_epi32(c01, a0, w1);
            c10 = _mm512_dpbusd_epi32(c10, a1, w0); c11 = _mm512_dpbusd_epi32(c11, a1, w1);
            c20 = _mm512_dpbusd_epi32(c20, a2, w0); c21 = _mm512_dpbusd_epi32(c21, a2, w1);
            c30 = _mm512_dpbusd_epi32(c30, a3, w0); c31 = _mm512_dpbusd_epi32(c31, a3, w1);
        }
        __m512i accumulators[4] = {c01, c11, c21, c31};
        for (int32_t r = 0; r < row_count; r++) {
            __m128i bytes = requantize_row(accumulators[r], &second, zero_point, minimum, maximum, shifts_left, full_range);
            _mm_mask_storeu_epi8(out + (size_t)r * row_stride + CURB_GEMM_COLUMNS, second.columns, bytes);
        }
    } else {
        for (int32_t quad = 0; quad < quads; quad++) {
            __m512i w0 = _mm512_load_si512(b0 + quad);
            c00 = _mm512_dpbusd_epi32(c00, _mm512_set1_epi32(a[4 * quad + 0]), w0);
            c10 = _mm512_dpbusd_epi32(c10, _mm512_set1_epi32(a[4 * quad + 1]), w0);
            c20 = _mm512_dpbusd_epi32(c20, _mm512_set1_epi32(a[4 * quad + 2]), w0);
            c30 = _mm512_dpbusd_epi32(c30, _mm512_set1_epi32(a[4 * quad + 3]), w0);
        }
    }
    __m512i accumulators[4] = {c00, c10, c20, c30};
    for (int32_t r = 0; r < row_count; r++) {
        __m128i bytes = requantize_row(accumulators[r], &first, zero_point, minimum, maximum, shifts_left, full_range);
        _mm_mask_storeu_epi8(out + (size_t)r * row_stride, first.columns, bytes);
    }
}

void curb_conv_tiles_avx512(const curb_conv_params *p, const uint8_t *panel, int32_t first_block, int32_t blocks,
                            int32_t first_row, int32_t row_count) {
    int full_range = p->activation_min == -128 && p->activation_max == 127;
    if (!p->shifts_left && full_range) {
        tiles(p, panel, first_block, blocks, first_row, row_count, 0, 1);
    } else if (!p->shifts_left) {
        tiles(p, panel, first_block, blocks, first_row, row_count, 0, 0);
    } else {
        tiles(p, panel, first_block, blocks, first_row, row_count, 1, 0);
    }
}

#pragma clang attribute pop
#endif

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

static inline void store_row(const curb_conv_params *p, __m512i accumulator, int32_t block, int32_t row) {
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    if (columns > CURB_GEMM_COLUMNS) columns = CURB_GEMM_COLUMNS;
    __m512i x = _mm512_add_epi32(accumulator, _mm512_load_si512(p->channel_offset + first_channel));
    __m512i r = requantize16(x, _mm512_load_si512(p->multiplier + first_channel),
                             _mm512_load_si512(p->left_shift + first_channel),
                             _mm512_load_si512(p->right_shift + first_channel), _mm512_set1_epi32(p->output_zero_point),
                             _mm512_set1_epi32(p->activation_min), _mm512_set1_epi32(p->activation_max));
    __m128i bytes = _mm512_cvtepi32_epi8(r);   // values are already within the clamp: plain truncation
    int8_t *out = p->output + (size_t)row * p->output_channels + first_channel;
    if (columns == CURB_GEMM_COLUMNS) {
        _mm_storeu_si128((__m128i *)out, bytes);
    } else {
        _mm_mask_storeu_epi8(out, (__mmask16)((1u << columns) - 1), bytes);
    }
}

void curb_conv_tiles_avx512(const curb_conv_params *p, const uint8_t *panel, int32_t first_block, int32_t blocks,
                            int32_t first_row, int32_t row_count) {
    int32_t quads = (p->depth + 3) / 4;
    const int32_t *a = (const int32_t *)panel;
    const __m512i *b0 = (const __m512i *)((const int8_t *)p->packed_filter + (size_t)first_block * quads * CURB_GEMM_COLUMNS * 4);
    __m512i c00 = _mm512_setzero_si512(), c10 = c00, c20 = c00, c30 = c00;
    if (blocks == 2) {
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
        __m512i second[4] = {c01, c11, c21, c31};
        for (int32_t r = 0; r < row_count; r++) store_row(p, second[r], first_block + 1, first_row + r);
    } else {
        for (int32_t quad = 0; quad < quads; quad++) {
            __m512i w0 = _mm512_load_si512(b0 + quad);
            c00 = _mm512_dpbusd_epi32(c00, _mm512_set1_epi32(a[4 * quad + 0]), w0);
            c10 = _mm512_dpbusd_epi32(c10, _mm512_set1_epi32(a[4 * quad + 1]), w0);
            c20 = _mm512_dpbusd_epi32(c20, _mm512_set1_epi32(a[4 * quad + 2]), w0);
            c30 = _mm512_dpbusd_epi32(c30, _mm512_set1_epi32(a[4 * quad + 3]), w0);
        }
    }
    __m512i first[4] = {c00, c10, c20, c30};
    for (int32_t r = 0; r < row_count; r++) store_row(p, first[r], first_block, first_row + r);
}

#pragma clang attribute pop
#endif

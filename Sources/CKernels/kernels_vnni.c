// AVX-VNNI GEMM micro-kernel: `vpdpbusd` sums four uint8 × int8 products into each int32 lane. Exact for every
// input: each product is at most 255 · 128 in magnitude, four of them fit easily, and the non-saturating form
// adds them to the accumulator with the same wrap-around as the reference. Inputs are biased by +128 (x ^ 0x80)
// into uint8; curb_conv_prepare took 128 · Σ w out of the channel offset. Compiled for AVX-VNNI by attribute and
// called only when the CPU reports it.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include <string.h>
#include "requantize_avx2.h"

/// Shared by the AVX-VNNI and AVX-512 VNNI GEMMs (SSE2 only).
void curb_conv_pack_panel_vnni(const int8_t *const rows[4], int32_t depth, uint8_t *panel) {
    const __m128i bias = _mm_set1_epi8((char)0x80);
    int32_t k = 0;
    // 16 depths of 4 rows: +128, then a 4×4 transpose of 4-byte groups → [quad][row][4].
    for (; k + 16 <= depth; k += 16) {
        __m128i r0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(rows[0] + k)), bias);
        __m128i r1 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(rows[1] + k)), bias);
        __m128i r2 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(rows[2] + k)), bias);
        __m128i r3 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(rows[3] + k)), bias);
        __m128i t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);
        __m128i t2 = _mm_unpackhi_epi32(r0, r1), t3 = _mm_unpackhi_epi32(r2, r3);
        __m128i *out = (__m128i *)(panel + (size_t)(k / 4) * 16);
        _mm_storeu_si128(out + 0, _mm_unpacklo_epi64(t0, t1));
        _mm_storeu_si128(out + 1, _mm_unpackhi_epi64(t0, t1));
        _mm_storeu_si128(out + 2, _mm_unpacklo_epi64(t2, t3));
        _mm_storeu_si128(out + 3, _mm_unpackhi_epi64(t2, t3));
    }
    // 8 and then 4 depths of 4 rows the same way.
    if (k + 8 <= depth) {
        __m128i r0 = _mm_xor_si128(_mm_loadl_epi64((const __m128i *)(rows[0] + k)), bias);
        __m128i r1 = _mm_xor_si128(_mm_loadl_epi64((const __m128i *)(rows[1] + k)), bias);
        __m128i r2 = _mm_xor_si128(_mm_loadl_epi64((const __m128i *)(rows[2] + k)), bias);
        __m128i r3 = _mm_xor_si128(_mm_loadl_epi64((const __m128i *)(rows[3] + k)), bias);
        __m128i t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);
        __m128i *out = (__m128i *)(panel + (size_t)(k / 4) * 16);
        _mm_storeu_si128(out + 0, _mm_unpacklo_epi64(t0, t1));
        _mm_storeu_si128(out + 1, _mm_unpackhi_epi64(t0, t1));
        k += 8;
    }
    if (k + 4 <= depth) {
        int32_t words[4];
        for (int r = 0; r < 4; r++) memcpy(&words[r], rows[r] + k, 4);
        __m128i quad = _mm_xor_si128(_mm_loadu_si128((const __m128i *)words), _mm_set1_epi8((char)0x80));
        _mm_storeu_si128((__m128i *)(panel + (size_t)(k / 4) * 16), quad);
        k += 4;
    }
    // The last quad; depths past the end meet weight 0, so their value does not matter (0x80 here).
    for (; k < depth; k += 4) {
        for (int r = 0; r < 4; r++) {
            for (int part = 0; part < 4; part++) {
                panel[(size_t)(k / 4) * 16 + r * 4 + part] = k + part < depth ? (uint8_t)(rows[r][k + part] ^ 0x80) : 0x80;
            }
        }
    }
}

#pragma clang attribute push(__attribute__((target("avx2,fma,avxvnni"))), apply_to = function)

void curb_conv_tile_vnni(const curb_conv_params *p, const uint8_t *panel, int32_t block, int32_t first_row,
                         int32_t row_count) {
    int32_t quads = (p->depth + 3) / 4;
    const int8_t *filter = (const int8_t *)p->packed_filter + (size_t)block * quads * CURB_GEMM_COLUMNS * 4;
    // The accumulators start at the channel offset (the epilogue adds nothing more).
    const int32_t *offset = p->channel_offset + (size_t)block * CURB_GEMM_COLUMNS;
    __m256i c00 = _mm256_load_si256((const __m256i *)offset), c01 = _mm256_load_si256((const __m256i *)(offset + 8));
    __m256i c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    const int32_t *a = (const int32_t *)panel;   // 4 uint8 per row
    const __m256i *b = (const __m256i *)filter;
    for (int32_t quad = 0; quad < quads; quad++) {
        __m256i b0 = _mm256_load_si256(b + 2 * quad), b1 = _mm256_load_si256(b + 2 * quad + 1);
        __m256i a0 = _mm256_set1_epi32(a[4 * quad + 0]);
        __m256i a1 = _mm256_set1_epi32(a[4 * quad + 1]);
        __m256i a2 = _mm256_set1_epi32(a[4 * quad + 2]);
        __m256i a3 = _mm256_set1_epi32(a[4 * quad + 3]);
        c00 = _mm256_dpbusd_avx_epi32(c00, a0, b0);
        c01 = _mm256_dpbusd_avx_epi32(c01, a0, b1);
        c10 = _mm256_dpbusd_avx_epi32(c10, a1, b0);
        c11 = _mm256_dpbusd_avx_epi32(c11, a1, b1);
        c20 = _mm256_dpbusd_avx_epi32(c20, a2, b0);
        c21 = _mm256_dpbusd_avx_epi32(c21, a2, b1);
        c30 = _mm256_dpbusd_avx_epi32(c30, a3, b0);
        c31 = _mm256_dpbusd_avx_epi32(c31, a3, b1);
    }
    __m256i accumulators[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    store_tile_avx2_for(p, accumulators, block, first_row, row_count);
}

#pragma clang attribute pop
#endif

// AVX-512 VNNI GEMM micro-kernel: one 512-bit `vpdpbusd` covers a whole channel block (16 columns × 4 depths),
// so a step computes 8 rows × 2 blocks, or 16 rows × 1 block for layers of at most 16 channels. Same exactness argument as kernels_vnni.c (non-saturating u8 × s8
// quads, +128 bias folded into the channel offset); the requantization is requantize8's on 16 lanes.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include <string.h>
#include "requantize_avx2.h"
#include "requantize_avx512.h"

/// gather_panel for 4 adjacent pixels inside the input columns when their runs fit one window (prepare_window):
/// per kernel row, the window in one masked load (a row outside the input is all zero point, as the reference's
/// skipped taps), then one permutation into [quad][row][4] and the +128 bias.
static __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi"))) void gather_window_panel(
    const curb_conv_params *p, const curb_pixel_cursor *cursor, uint8_t *panel) {
    const int32_t channels = p->input_channels, row_bytes = p->run_stride / 4 * 16;
    const int32_t origin_y = cursor->y * p->stride_height - p->padding_top;
    const int32_t origin_x = cursor->x * p->stride_width - p->padding_left;
    const __m512i permutation = _mm512_loadu_si512(p->window_permutation);
    const __m512i zero_point = _mm512_set1_epi8((char)p->input_zero_point), bias = _mm512_set1_epi8((char)0x80);
    const __mmask64 window = p->window_span == 64 ? ~(__mmask64)0 : ((__mmask64)1 << p->window_span) - 1;
    const __mmask64 stored = row_bytes == 64 ? ~(__mmask64)0 : ((__mmask64)1 << row_bytes) - 1;
    const int8_t *batch = p->input + (size_t)cursor->batch * p->input_height * p->input_width * channels;
    for (int32_t ky = 0; ky < p->kernel_height; ky++) {
        int32_t y = origin_y + ky * p->dilation_height;
        __m512i bytes = zero_point;
        if (y >= 0 && y < p->input_height) {
            bytes = _mm512_mask_loadu_epi8(zero_point, window, batch + ((size_t)y * p->input_width + (size_t)origin_x) * channels);
        }
        __m512i gathered = _mm512_xor_si512(_mm512_permutexvar_epi8(permutation, bytes), bias);
        _mm512_mask_storeu_epi8(panel + (size_t)ky * row_bytes, stored, gathered);
    }
}

#pragma clang attribute push(__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))), apply_to = function)

/// The panel ([quad][row][4], +128) of 4 output pixels straight from the input: per kernel row, each pixel's run
/// (kernel_width · input_channels ≤ 64 bytes) in one masked load whose masked-off bytes (taps outside the
/// input) take the input zero point, as the reference's skipped taps; the pad up to run_stride meets zero weights.
/// Then a transpose of quads by dword permutations. Needs dilation_width 1.
static inline __attribute__((always_inline)) void gather_panel(const curb_conv_params *p, curb_pixel_cursor *cursor,
                                                               uint8_t *panel, int32_t quads_per_row) {
    const int32_t channels = p->input_channels, run = p->kernel_width * channels;
    const ptrdiff_t row_step = (ptrdiff_t)p->dilation_height * p->input_width * channels;
    // Per pixel: the address of its first tap (possibly outside the input: only unmasked bytes are read), its
    // first input row, and the bytes of a kernel row that are inside the input.
    uintptr_t origins[4];
    int32_t origin_rows[4];
    uint64_t columns[4];
    const uint64_t whole_run = run == 64 ? ~UINT64_C(0) : (UINT64_C(1) << run) - 1;
    for (int32_t r = 0; r < 4; r++) {
        int32_t origin_y = cursor->y * p->stride_height - p->padding_top;
        int32_t origin_x = cursor->x * p->stride_width - p->padding_left;
        uint64_t inside = whole_run;
        if (origin_x < 0 || origin_x + p->kernel_width > p->input_width) {
            int32_t first = origin_x < 0 ? -origin_x : 0;
            int32_t last = p->input_width - origin_x < p->kernel_width ? p->input_width - origin_x : p->kernel_width;
            inside = 0;
            if (last > first) {   // then first · channels < last · channels ≤ 64: both shifts are defined
                uint64_t below_last = last * channels == 64 ? ~UINT64_C(0) : (UINT64_C(1) << (last * channels)) - 1;
                inside = below_last & ~((UINT64_C(1) << (first * channels)) - 1);
            }
        }
        columns[r] = inside;
        origin_rows[r] = origin_y;
        ptrdiff_t offset = (((ptrdiff_t)cursor->batch * p->input_height + origin_y) * p->input_width + origin_x) * channels;
        origins[r] = (uintptr_t)p->input + (uintptr_t)offset;
        curb_pixel_cursor_advance(cursor, p);
    }
    // Output vector j holds quads 4j…4j+3 of the 4 rows, lane 4·quad + row: a two-source permutation of rows 0 and
    // 1, another (same indices) of rows 2 and 3, and a blend. Index of lane d: quad d / 4 of the first source
    // (even rows) or of the second (+16, odd rows).
    const __m512i first_index = _mm512_setr_epi32(0, 16, 0, 16, 1, 17, 1, 17, 2, 18, 2, 18, 3, 19, 3, 19);
    const __m512i zero_points = _mm512_set1_epi8((char)p->input_zero_point), biases = _mm512_set1_epi8((char)0x80);
    for (int32_t ky = 0; ky < p->kernel_height; ky++) {
        __m512i rows[4];
        for (int32_t i = 0; i < 4; i++) {
            int32_t y = origin_rows[i] + ky * p->dilation_height;
            __mmask64 mask = y >= 0 && y < p->input_height ? (__mmask64)columns[i] : 0;
            const void *address = (const void *)(origins[i] + (uintptr_t)(ky * row_step));
            rows[i] = _mm512_xor_si512(_mm512_mask_loadu_epi8(zero_points, mask, address), biases);
        }
        uint8_t *out = panel + (size_t)ky * quads_per_row * 16;
        for (int32_t j = 0; 4 * j < quads_per_row; j++) {
            __m512i index = _mm512_add_epi32(first_index, _mm512_set1_epi32(4 * j));
            __m512i quads = _mm512_mask_blend_epi32(0xCCCC, _mm512_permutex2var_epi32(rows[0], index, rows[1]),
                                                    _mm512_permutex2var_epi32(rows[2], index, rows[3]));
            int32_t bytes = (quads_per_row - 4 * j) * 16;
            if (bytes >= 64) {
                _mm512_storeu_si512(out + 64 * j, quads);
            } else {
                _mm512_mask_storeu_epi8(out + 64 * j, ((__mmask64)1 << bytes) - 1, quads);
            }
        }
    }
}

void curb_conv_gather_panel_avx512(const curb_conv_params *p, curb_pixel_cursor *cursor, uint8_t *panel) {
    // Four pixels of one output row whose kernel rows lie inside the input columns: the window path.
    if (p->window_span && cursor->x + 3 < p->output_width) {
        int32_t first_x = cursor->x * p->stride_width - p->padding_left;
        int32_t last_x = (cursor->x + 3) * p->stride_width - p->padding_left;
        if (first_x >= 0 && last_x + p->kernel_width <= p->input_width) {
            gather_window_panel(p, cursor, panel);
            for (int32_t r = 0; r < 4; r++) curb_pixel_cursor_advance(cursor, p);
            return;
        }
    }
    // Runs of up to 16 bytes (the first layers' 3 channels) get a copy without the chunk loop.
    int32_t quads_per_row = p->run_stride / 4;
    if (quads_per_row == 3) {
        gather_panel(p, cursor, panel, 3);
    } else {
        gather_panel(p, cursor, panel, quads_per_row);
    }
}

/// A channel block's requantization values, loaded before any output is stored (an int8 store may alias them,
/// so loads after it would be repeated for every row).
typedef struct block_values {
    __m512i offset, multiplier, left, right;
    magnitude_values magnitude;
    __mmask16 columns;
} block_values;

/// `magnitude` (a constant): the layer takes the one-rounding requantization (p->magnitude).
static inline __attribute__((always_inline)) block_values load_block(const curb_conv_params *p, int32_t block,
                                                                     int magnitude) {
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    block_values values;
    values.offset = _mm512_load_si512(p->channel_offset + first_channel);
    if (magnitude) {
        values.magnitude = load_magnitude(p->magnitude + block);
    } else {
        values.multiplier = _mm512_load_si512(p->multiplier + first_channel);
        values.left = _mm512_load_si512(p->left_shift + first_channel);
        values.right = _mm512_load_si512(p->right_shift + first_channel);
    }
    values.columns = columns >= CURB_GEMM_COLUMNS ? (__mmask16)0xFFFF : (__mmask16)((1u << columns) - 1);
    return values;
}

/// One row of one block (its accumulator started at the channel offset), requantized, stored. `shifts_left` 0: no channel's multiplier is above
/// 1; `full_range`: the clamp is [−128, 127], which vpmovsdb's saturation already is; `magnitude`: the one-rounding
/// form (never with shifts_left).
static inline __attribute__((always_inline)) __m128i requantize_row(__m512i accumulator, const block_values *values,
                                                                    __m512i zero_point, __m512i minimum, __m512i maximum,
                                                                    int shifts_left, int full_range, int magnitude) {
    __m512i r = magnitude ? scale16_magnitude(accumulator, &values->magnitude, zero_point)
                          : scale16(accumulator, values->multiplier, values->left, values->right, zero_point, shifts_left);
    if (!full_range) r = _mm512_min_epi32(_mm512_max_epi32(r, minimum), maximum);
    return _mm512_cvtsepi32_epi8(r);
}

/// `panel_count` panels (4 rows each; constant) × `blocks` channel blocks (constant): up to 16 accumulators. Per
/// depth quad, one weight load per block serves every row, one broadcast per row serves every block.
static inline __attribute__((always_inline)) void tiles(const curb_conv_params *p, const uint8_t *const *panels,
                                                        int32_t panel_count, int32_t blocks, int32_t first_block,
                                                        int32_t first_row, int32_t row_count, int shifts_left,
                                                        int full_range, int magnitude) {
    int32_t quads = (p->depth + 3) / 4;
    const __m512i *weights = (const __m512i *)((const int8_t *)p->packed_filter + (size_t)first_block * quads * CURB_GEMM_COLUMNS * 4);
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi32(p->activation_min), maximum = _mm512_set1_epi32(p->activation_max);
    const size_t row_stride = (size_t)p->output_channels;
    int8_t *out = p->output + (size_t)first_row * row_stride + (size_t)first_block * CURB_GEMM_COLUMNS;
    block_values values[2];
    for (int32_t j = 0; j < blocks; j++) values[j] = load_block(p, first_block + j, magnitude);
    __m512i accumulators[16][2];
    for (int32_t r = 0; r < 4 * panel_count; r++) {
        for (int32_t j = 0; j < blocks; j++) accumulators[r][j] = values[j].offset;
    }
    for (int32_t quad = 0; quad < quads; quad++) {
        __m512i w[2];
        for (int32_t j = 0; j < blocks; j++) w[j] = _mm512_load_si512(weights + (size_t)j * quads + quad);
        for (int32_t i = 0; i < panel_count; i++) {
            const int32_t *a = (const int32_t *)panels[i] + 4 * quad;
            for (int32_t r = 0; r < 4; r++) {
                __m512i broadcast = _mm512_set1_epi32(a[r]);
                for (int32_t j = 0; j < blocks; j++) {
                    accumulators[4 * i + r][j] = _mm512_dpbusd_epi32(accumulators[4 * i + r][j], broadcast, w[j]);
                }
            }
        }
    }
    for (int32_t r = 0; r < 4 * panel_count; r++) {
        if (r >= row_count) break;
        for (int32_t j = 0; j < blocks; j++) {
            __m128i bytes = requantize_row(accumulators[r][j], &values[j], zero_point, minimum, maximum, shifts_left,
                                           full_range, magnitude);
            _mm_mask_storeu_epi8(out + (size_t)r * row_stride + (size_t)j * CURB_GEMM_COLUMNS, values[j].columns, bytes);
        }
    }
}

/// Layers of at most 8 channels: each 16-lane vector holds two rows, lanes alternating (a 64-bit broadcast of the
/// two rows' quads against weights whose column j is channel j / 2), so 16 rows take 8 accumulators, half the
/// multiply-adds and requantizations of a padded block. A byte shuffle separates the two rows for the stores.
static inline __attribute__((always_inline)) void row_pairs(const curb_conv_params *p, const uint8_t *const *panels,
                                                            int32_t first_row, int32_t row_count, int shifts_left,
                                                            int full_range, int magnitude) {
    int32_t quads = (p->depth + 3) / 4;
    const __m512i *weights = (const __m512i *)p->packed_filter;
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi32(p->activation_min), maximum = _mm512_set1_epi32(p->activation_max);
    const size_t row_stride = (size_t)p->output_channels;
    int8_t *out = p->output + (size_t)first_row * row_stride;
    block_values values = load_block(p, 0, magnitude);
    const __mmask16 channels = (__mmask16)((1u << p->output_channels) - 1);
    __m512i accumulators[8];
    for (int32_t v = 0; v < 8; v++) accumulators[v] = values.offset;
    for (int32_t quad = 0; quad < quads; quad++) {
        __m512i w = _mm512_load_si512(weights + quad);
        for (int32_t i = 0; i < 4; i++) {
            for (int32_t half = 0; half < 2; half++) {
                int64_t both;
                memcpy(&both, panels[i] + (size_t)quad * 16 + 8 * half, sizeof both);
                accumulators[2 * i + half] = _mm512_dpbusd_epi32(accumulators[2 * i + half], _mm512_set1_epi64(both), w);
            }
        }
    }
    // [r0 c0, r1 c0, r0 c1, r1 c1, …] → [r0 c0…c7, r1 c0…c7].
    const __m128i separate = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    for (int32_t v = 0; v < 8 && 2 * v < row_count; v++) {
        __m128i bytes = _mm_shuffle_epi8(requantize_row(accumulators[v], &values, zero_point, minimum, maximum,
                                                        shifts_left, full_range, magnitude), separate);
        _mm_mask_storeu_epi8(out + (size_t)(2 * v) * row_stride, channels, bytes);
        if (2 * v + 1 < row_count) {
            _mm_mask_storeu_epi8(out + (size_t)(2 * v + 1) * row_stride, channels, _mm_srli_si128(bytes, 8));
        }
    }
}

void curb_conv_row_pairs_avx512(const curb_conv_params *p, const uint8_t *const panels[4], int32_t first_row,
                                int32_t row_count) {
    int full_range = p->activation_min == -128 && p->activation_max == 127;
    if (p->magnitude && full_range) {
        row_pairs(p, panels, first_row, row_count, 0, 1, 1);
    } else if (p->magnitude) {
        row_pairs(p, panels, first_row, row_count, 0, 0, 1);
    } else if (!p->shifts_left && full_range) {
        row_pairs(p, panels, first_row, row_count, 0, 1, 0);
    } else if (!p->shifts_left) {
        row_pairs(p, panels, first_row, row_count, 0, 0, 0);
    } else {
        row_pairs(p, panels, first_row, row_count, 1, 0, 0);
    }
}

/// One requantization variant for the three tile shapes the driver uses.
static inline __attribute__((always_inline)) void tiles_shaped(const curb_conv_params *p, const uint8_t *const *panels,
                                                               int32_t panel_count, int32_t blocks, int32_t first_block,
                                                               int32_t first_row, int32_t row_count, int shifts_left,
                                                               int full_range, int magnitude) {
    if (panel_count == 4) {
        tiles(p, panels, 4, 1, first_block, first_row, row_count, shifts_left, full_range, magnitude);
    } else if (blocks == 2) {
        tiles(p, panels, 2, 2, first_block, first_row, row_count, shifts_left, full_range, magnitude);
    } else {
        tiles(p, panels, 2, 1, first_block, first_row, row_count, shifts_left, full_range, magnitude);
    }
}

void curb_conv_tiles_avx512(const curb_conv_params *p, const uint8_t *const panels[], int32_t panel_count,
                            int32_t first_block, int32_t blocks, int32_t first_row, int32_t row_count) {
    int full_range = p->activation_min == -128 && p->activation_max == 127;
    if (p->magnitude && full_range) {
        tiles_shaped(p, panels, panel_count, blocks, first_block, first_row, row_count, 0, 1, 1);
    } else if (p->magnitude) {
        tiles_shaped(p, panels, panel_count, blocks, first_block, first_row, row_count, 0, 0, 1);
    } else if (!p->shifts_left && full_range) {
        tiles_shaped(p, panels, panel_count, blocks, first_block, first_row, row_count, 0, 1, 0);
    } else if (!p->shifts_left) {
        tiles_shaped(p, panels, panel_count, blocks, first_block, first_row, row_count, 0, 0, 0);
    } else {
        tiles_shaped(p, panels, panel_count, blocks, first_block, first_row, row_count, 1, 0, 0);
    }
}

#pragma clang attribute pop
#endif

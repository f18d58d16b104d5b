// Convolution as GEMM: the driver (work split, im2col of 4 output pixels at a time), weight packing, and the
// portable micro-kernel that defines what the SIMD versions compute.
#include "internal.h"
#include <string.h>

/// Packed weights: int8 quads for the VNNI GEMMs ([block][quad][16][4]), int16 pairs otherwise
/// ([block][pair][16][2]).
static size_t packed_filter_bytes(int32_t isa, int32_t channel_blocks, int32_t depth) {
    size_t per_block = curb_isa_is_vnni(isa) ? (size_t)((depth + 3) / 4) * CURB_GEMM_COLUMNS * 4
                                             : (size_t)((depth + 1) / 2) * CURB_GEMM_COLUMNS * 2 * sizeof(int16_t);
    return CURB_ALIGN_UP((size_t)channel_blocks * per_block, 64);
}

/// Gathered rows are this far apart: the depth rounded up to 4, so the VNNI packing reads whole quads (the
/// extra bytes are zeroed and meet zero weights).
static size_t gather_stride(int32_t depth) { return (size_t)CURB_ALIGN_UP(depth, 4); }

/// One panel's slot: 4 gathered rows, then the panel (int16 pairs, or for VNNI uint8 quads: never larger).
static size_t panel_slot_bytes(int32_t depth, int32_t depth_pairs) {
    return CURB_ALIGN_UP((size_t)CURB_GEMM_ROWS * gather_stride(depth), 64)
         + CURB_ALIGN_UP((size_t)depth_pairs * CURB_GEMM_ROWS * 2 * sizeof(int16_t), 64);
}

/// Per thread: one panel slot, or CURB_GEMM_AVX512_PANELS for the AVX-512 GEMM.
static size_t thread_scratch_bytes(int32_t isa, int32_t depth, int32_t depth_pairs) {
    size_t slots = isa == CURB_ISA_AVX512_VNNI ? CURB_GEMM_AVX512_PANELS : 1;
    return slots * panel_slot_bytes(depth, depth_pairs);
}

/// The x86 GEMMs' one-rounding requantization values (used when exact for every channel).
static size_t magnitude_bytes(int32_t isa, int32_t channel_blocks) {
    return curb_isa_is_avx2(isa) ? (size_t)channel_blocks * sizeof(curb_magnitude_rounding) : 0;
}

/// Bytes a kernel row takes in a gathered row: its kernel_width · input_channels bytes, rounded up to whole
/// quads for the AVX-512 GEMM when the kernel has more than one tap (then every kernel row starts a quad, and
/// inside pixels' rows go straight from the input into the panel).
static int32_t run_stride(int32_t isa, int32_t kernel_height, int32_t kernel_width, int32_t input_channels) {
    int32_t run = kernel_width * input_channels;
    return isa == CURB_ISA_AVX512_VNNI && kernel_height * kernel_width > 1 ? CURB_ALIGN_UP(run, 4) : run;
}

size_t curb_conv_scratch_bytes(int32_t isa, int32_t output_channels, int32_t kernel_height, int32_t kernel_width,
                               int32_t input_channels, int32_t threads) {
    int32_t depth = kernel_height * run_stride(isa, kernel_height, kernel_width, input_channels);
    int32_t channel_blocks = (output_channels + CURB_GEMM_COLUMNS - 1) / CURB_GEMM_COLUMNS;
    int32_t depth_pairs = (depth + 1) / 2;
    size_t per_channel = CURB_ALIGN_UP((size_t)channel_blocks * CURB_GEMM_COLUMNS * sizeof(int32_t), 64);
    return packed_filter_bytes(isa, channel_blocks, depth) + 4 * per_channel + magnitude_bytes(isa, channel_blocks)
         + (size_t)(threads < 1 ? 1 : threads) * thread_scratch_bytes(isa, depth, depth_pairs);
}

/// First layers (a 3x3 kernel over 3 channels): the runs of 4 adjacent output pixels lie in one window of at most
/// 64 bytes of each input row, so the AVX-512 GEMM can gather their panel with one load and one byte permutation
/// per kernel row (VBMI). Panel byte [quad][row][b] of a kernel row is window byte row · stride · channels + 4 · quad
/// + b; bytes past the run meet zero weights, so they may take any window byte.
static void prepare_window(curb_conv_params *p) {
    p->window_span = 0;
    memset(p->window_permutation, 0, sizeof p->window_permutation);
#if defined(__x86_64__)
    int32_t channels = p->input_channels, run = p->kernel_width * channels;
    int32_t span = 3 * p->stride_width * channels + run;
    int32_t quads_per_row = p->run_stride / 4;
    if (p->isa != CURB_ISA_AVX512_VNNI || p->pointwise || p->dilation_width != 1 || p->run_stride % 4 != 0
        || p->run_stride > 16 || span > 64 || !curb_cpu_has_avx512_vbmi()) return;
    for (int32_t quad = 0; quad < quads_per_row; quad++) {
        for (int32_t row = 0; row < 4; row++) {
            for (int32_t b = 0; b < 4; b++) {
                int32_t within = 4 * quad + b < run ? 4 * quad + b : 0;
                p->window_permutation[quad * 16 + row * 4 + b] = (uint8_t)(row * p->stride_width * channels + within);
            }
        }
    }
    p->window_span = span;
#endif
}

void curb_conv_prepare(curb_conv_params *p, const int8_t *filter, const int32_t *bias, const int32_t *multiplier,
                       const int32_t *shift, int32_t threads, void *scratch) {
    // The filter's depth, and the packed depth with each kernel row padded to run_stride (the pads meet zero
    // weights).
    int32_t filter_depth = p->kernel_height * p->kernel_width * p->input_channels;
    int32_t run = p->kernel_width * p->input_channels;
    p->run_stride = run_stride(p->isa, p->kernel_height, p->kernel_width, p->input_channels);
    int32_t depth = p->kernel_height * p->run_stride;
    int32_t depth_pairs = (depth + 1) / 2;
    int32_t channel_blocks = (p->output_channels + CURB_GEMM_COLUMNS - 1) / CURB_GEMM_COLUMNS;
    p->depth = depth;
    p->depth_pairs = depth_pairs;
    p->channel_blocks = channel_blocks;
    p->pointwise = p->kernel_height == 1 && p->kernel_width == 1 && p->stride_height == 1 && p->stride_width == 1
        && p->padding_top == 0 && p->padding_left == 0
        && p->output_height == p->input_height && p->output_width == p->input_width;

    uint8_t *cursor = scratch;
    int16_t *packed = (int16_t *)cursor;
    cursor += packed_filter_bytes(p->isa, channel_blocks, depth);
    size_t per_channel = CURB_ALIGN_UP((size_t)channel_blocks * CURB_GEMM_COLUMNS * sizeof(int32_t), 64);
    int32_t *offset = (int32_t *)cursor; cursor += per_channel;
    int32_t *multipliers = (int32_t *)cursor; cursor += per_channel;
    int32_t *left = (int32_t *)cursor; cursor += per_channel;
    int32_t *right = (int32_t *)cursor; cursor += per_channel;

    int vnni = curb_isa_is_vnni(p->isa);
    // AVX-512 layers of at most 8 channels take two rows per 16-lane vector (lanes alternate rows): column j of
    // the block is channel j / 2.
    p->row_pairs = p->isa == CURB_ISA_AVX512_VNNI && p->output_channels <= 8;
    if (vnni) {
        // [block][quad][column][4] int8: one 32-byte load gives 8 columns × 4 depths for vpdpbusd. Padding is
        // zero.
        int8_t *quads = (int8_t *)packed;
        int32_t depth_quads = (depth + 3) / 4;
        for (int32_t block = 0; block < channel_blocks; block++) {
            for (int32_t quad = 0; quad < depth_quads; quad++) {
                for (int32_t column = 0; column < CURB_GEMM_COLUMNS; column++) {
                    int32_t channel = p->row_pairs ? column / 2 : block * CURB_GEMM_COLUMNS + column;
                    for (int32_t part = 0; part < 4; part++) {
                        int32_t k = quad * 4 + part, within = k % p->run_stride;
                        int8_t value = (channel < p->output_channels && k < depth && within < run)
                            ? filter[(size_t)channel * filter_depth + (size_t)(k / p->run_stride) * run + within] : 0;
                        quads[(((size_t)block * depth_quads + quad) * CURB_GEMM_COLUMNS + column) * 4 + part] = value;
                    }
                }
            }
        }
    }
    // [block][pair][column][2]: one 32-byte load gives 8 columns × 2 depths for vpmaddwd. Padding is zero.
    for (int32_t block = 0; !vnni && block < channel_blocks; block++) {
        for (int32_t pair = 0; pair < depth_pairs; pair++) {
            for (int32_t column = 0; column < CURB_GEMM_COLUMNS; column++) {
                int32_t channel = block * CURB_GEMM_COLUMNS + column;
                for (int32_t half = 0; half < 2; half++) {
                    int32_t k = pair * 2 + half;
                    int16_t value = (channel < p->output_channels && k < depth) ? filter[(size_t)channel * filter_depth + k] : 0;
                    packed[(((size_t)block * depth_pairs + pair) * CURB_GEMM_COLUMNS + column) * 2 + half] = value;
                }
            }
        }
    }
    // Σ w · (x − zp) = Σ w · x − zp · Σ w (mod 2^32, as the reference's wrapping accumulator); padding taps are
    // gathered as zp, so they contribute nothing, as in the reference.
    for (int32_t column = 0; column < channel_blocks * CURB_GEMM_COLUMNS; column++) {
        int32_t channel = p->row_pairs ? column / 2 : column;
        if (channel < p->output_channels) {
            uint32_t sum = 0;
            for (int32_t k = 0; k < filter_depth; k++) sum += (uint32_t)(int32_t)filter[(size_t)channel * filter_depth + k];
            // VNNI multiplies x + 128 (as uint8): 128 · Σ w more to take away.
            uint32_t zero_point = (uint32_t)p->input_zero_point + (vnni ? 128u : 0u);
            uint32_t value = (bias ? (uint32_t)bias[channel] : 0u) - zero_point * sum;
            offset[column] = (int32_t)value;
            multipliers[column] = multiplier[channel];
            left[column] = shift[channel] > 0 ? shift[channel] : 0;
            right[column] = shift[channel] > 0 ? 0 : -shift[channel];
        } else {
            offset[column] = 0; multipliers[column] = 0; left[column] = 0; right[column] = 0;
        }
    }
    p->shifts_left = curb_any_left_shift(shift, p->output_channels);
    prepare_window(p);
    // The one-rounding requantization, when it is exact for every channel's accumulators.
    curb_magnitude_rounding *magnitude = (curb_magnitude_rounding *)cursor;
    cursor += magnitude_bytes(p->isa, channel_blocks);
    int exact = curb_isa_is_avx2(p->isa) && !p->shifts_left
             && curb_layer_magnitude_exact(filter, p->output_channels, filter_depth, (size_t)filter_depth, 1, bias,
                                           multiplier, shift, p->input_zero_point);
    for (int32_t block = 0; exact && block < channel_blocks; block++) {
        curb_magnitude_rounding_fill(magnitude + block, multipliers + block * CURB_GEMM_COLUMNS,
                                     right + block * CURB_GEMM_COLUMNS);
    }
    p->magnitude = exact ? magnitude : NULL;
    p->packed_filter = packed;
    p->channel_offset = offset;
    p->multiplier = multipliers;
    p->left_shift = left;
    p->right_shift = right;
    p->thread_scratch = cursor;
    p->thread_scratch_stride = thread_scratch_bytes(p->isa, depth, depth_pairs);
    (void)threads;
}

/// memcpy for the short runs im2col copies (a few channels, a kernel row of them), without a call: two
/// overlapping loads and stores cover any length from 4 to 32 bytes.
static inline void copy_run(int8_t *destination, const int8_t *source, size_t count) {
    if (count > 32) { memcpy(destination, source, count); return; }
    if (count >= 16) {
        uint64_t head[2], tail[2];
        memcpy(head, source, 16); memcpy(tail, source + count - 16, 16);
        memcpy(destination, head, 16); memcpy(destination + count - 16, tail, 16);
    } else if (count >= 8) {
        uint64_t head, tail;
        memcpy(&head, source, 8); memcpy(&tail, source + count - 8, 8);
        memcpy(destination, &head, 8); memcpy(destination + count - 8, &tail, 8);
    } else if (count >= 4) {
        uint32_t head, tail;
        memcpy(&head, source, 4); memcpy(&tail, source + count - 4, 4);
        memcpy(destination, &head, 4); memcpy(destination + count - 4, &tail, 4);
    } else {
        for (size_t i = 0; i < count; i++) destination[i] = source[i];
    }
}

/// Row pointers of output pixels first_row…first_row+3 (rows past the end repeat the first; they are computed
/// but never stored): the input itself for pointwise convolutions, else an im2col gather into `buffer`.
static void gather_rows(const curb_conv_params *p, int32_t first_row, int32_t row_count, int8_t *buffer,
                        const int8_t *rows[4]) {
    if (p->pointwise) {
        for (int32_t r = 0; r < CURB_GEMM_ROWS; r++) {
            rows[r] = p->input + (size_t)(first_row + (r < row_count ? r : 0)) * p->input_channels;
        }
        return;
    }
    // The first pixel's position by division, the next ones by counting.
    curb_pixel_cursor cursor = curb_pixel_cursor_at(p, first_row);
    int32_t channels = p->input_channels;
    size_t run = (size_t)p->kernel_width * (size_t)channels;
    for (int32_t r = 0; r < CURB_GEMM_ROWS; r++) {
        if (r >= row_count) { rows[r] = rows[0]; continue; }
        int8_t *destination = buffer + (size_t)r * gather_stride(p->depth);
        const int8_t *input_batch = p->input + (size_t)cursor.batch * p->input_height * p->input_width * channels;
        int32_t origin_y = cursor.y * p->stride_height - p->padding_top;
        int32_t origin_x = cursor.x * p->stride_width - p->padding_left;
        int columns_inside = origin_x >= 0 && origin_x + (p->kernel_width - 1) * p->dilation_width < p->input_width;
        for (int32_t ky = 0; ky < p->kernel_height; ky++) {
            int32_t y = origin_y + ky * p->dilation_height;
            int row_inside = y >= 0 && y < p->input_height;
            const int8_t *input_row = row_inside ? input_batch + (size_t)y * p->input_width * channels : NULL;
            // A kernel row inside the input with adjacent taps is one contiguous run of the input (a 3×3
            // convolution over 3 channels copies 9 bytes at once instead of 3 at a time).
            if (p->dilation_width == 1 && row_inside && columns_inside) {
                copy_run(destination, input_row + (size_t)origin_x * channels, run);
            } else {
                for (int32_t kx = 0; kx < p->kernel_width; kx++) {
                    int32_t x = origin_x + kx * p->dilation_width;
                    if (!row_inside || x < 0 || x >= p->input_width) {
                        memset(destination + (size_t)kx * channels, (int8_t)p->input_zero_point, (size_t)channels);
                    } else {
                        copy_run(destination + (size_t)kx * channels, input_row + (size_t)x * channels, (size_t)channels);
                    }
                }
            }
            for (size_t pad = run; pad < (size_t)p->run_stride; pad++) destination[pad] = 0;
            destination += p->run_stride;
        }
        memset(destination, 0, gather_stride(p->depth) - (size_t)p->depth);
        rows[r] = buffer + (size_t)r * gather_stride(p->depth);
        curb_pixel_cursor_advance(&cursor, p);
    }
}

/// int8 rows → int16 panel [pair][row][2] (an odd depth's last pair is padded with 0).
static void pack_panel_portable(const int8_t *const rows[4], int32_t depth, int16_t *panel) {
    int32_t pairs = (depth + 1) / 2;
    for (int32_t pair = 0; pair < pairs; pair++) {
        for (int32_t r = 0; r < CURB_GEMM_ROWS; r++) {
            int32_t k = pair * 2;
            panel[(pair * CURB_GEMM_ROWS + r) * 2] = rows[r][k];
            panel[(pair * CURB_GEMM_ROWS + r) * 2 + 1] = k + 1 < depth ? rows[r][k + 1] : 0;
        }
    }
}

/// The definition of a 4×16 tile: wrapping int32 dot products, then the fused requantization. Columns are the
/// inner loop over contiguous weights, so a compiler can vectorize it (pmaddwd-shaped) on any target.
static void tile_portable(const curb_conv_params *p, const int16_t *panel, int32_t block, int32_t first_row,
                          int32_t row_count) {
    const int16_t *filter = p->packed_filter + (size_t)block * p->depth_pairs * CURB_GEMM_COLUMNS * 2;
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    if (columns > CURB_GEMM_COLUMNS) columns = CURB_GEMM_COLUMNS;
    for (int32_t r = 0; r < row_count; r++) {
        uint32_t accumulators[CURB_GEMM_COLUMNS] = {0};
        for (int32_t pair = 0; pair < p->depth_pairs; pair++) {
            int32_t first = panel[(pair * CURB_GEMM_ROWS + r) * 2], second = panel[(pair * CURB_GEMM_ROWS + r) * 2 + 1];
            const int16_t *w = filter + (size_t)pair * CURB_GEMM_COLUMNS * 2;
            for (int32_t column = 0; column < CURB_GEMM_COLUMNS; column++) {
                accumulators[column] += (uint32_t)(first * w[2 * column] + second * w[2 * column + 1]);
            }
        }
        int8_t *out = p->output + (size_t)(first_row + r) * p->output_channels + first_channel;
        for (int32_t column = 0; column < columns; column++) {
            int32_t channel = first_channel + column;
            out[column] = curb_requantize_one((int32_t)accumulators[column], p->channel_offset[channel],
                                              p->multiplier[channel], p->left_shift[channel], p->right_shift[channel],
                                              p->output_zero_point, p->activation_min, p->activation_max);
        }
    }
}

static void pack_panel(int isa, const int8_t *const rows[4], int32_t depth, int16_t *panel) {
#if defined(__x86_64__)
    if (curb_isa_is_vnni(isa)) { curb_conv_pack_panel_vnni(rows, depth, (uint8_t *)panel); return; }
    if (isa == CURB_ISA_AVX2) { curb_conv_pack_panel_avx2(rows, depth, panel); return; }
#endif
#if defined(__aarch64__)
    if (isa == CURB_ISA_NEON || isa == CURB_ISA_NEON_DOT) { curb_conv_pack_panel_neon(rows, depth, panel); return; }
#endif
    (void)isa;
    pack_panel_portable(rows, depth, panel);
}

static void tile(const curb_conv_params *p, const int16_t *panel, int32_t block, int32_t first_row, int32_t row_count) {
#if defined(__x86_64__)
    if (p->isa == CURB_ISA_AVX2_VNNI) { curb_conv_tile_vnni(p, (const uint8_t *)panel, block, first_row, row_count); return; }
    if (p->isa == CURB_ISA_AVX2) { curb_conv_tile_avx2(p, panel, block, first_row, row_count); return; }
#endif
#if defined(__aarch64__)
    if (p->isa == CURB_ISA_NEON || p->isa == CURB_ISA_NEON_DOT) { curb_conv_tile_neon(p, panel, block, first_row, row_count); return; }
#endif
    tile_portable(p, panel, block, first_row, row_count);
}

/// Whether chunks split output rows (else channel blocks). Rows when every chunk gets 16 rows or more: a
/// channel split gathers and packs every input row in every chunk. Else whichever divides more evenly, rows on
/// ties (a fully connected layer's single row splits by channels).
static int split_rows(int32_t row_blocks, int32_t channel_blocks, int parts) {
    if (row_blocks >= 4 * parts) return 1;
    int64_t row_share = (row_blocks + parts - 1) / parts, channel_share = (channel_blocks + parts - 1) / parts;
    return row_share * channel_blocks <= channel_share * row_blocks;
}

void curb_conv_run_part(const curb_conv_params *p, int part, int parts, int thread) {
    int32_t rows_total = p->batches * p->output_height * p->output_width;
    int32_t row_blocks = (rows_total + CURB_GEMM_ROWS - 1) / CURB_GEMM_ROWS;
    int32_t channel_blocks = p->channel_blocks;
    // Every output is computed the same way whatever the split, so the bits do not depend on the thread count.
    int32_t row_begin = 0, row_end = row_blocks, block_begin = 0, block_end = channel_blocks;
    if (split_rows(row_blocks, channel_blocks, parts)) {
        row_begin = (int32_t)((int64_t)row_blocks * part / parts);
        row_end = (int32_t)((int64_t)row_blocks * (part + 1) / parts);
    } else {
        block_begin = (int32_t)((int64_t)channel_blocks * part / parts);
        block_end = (int32_t)((int64_t)channel_blocks * (part + 1) / parts);
    }
    if (row_begin >= row_end || block_begin >= block_end) return;
    uint8_t *scratch = p->thread_scratch + (size_t)thread * p->thread_scratch_stride;
    size_t panel_offset = CURB_ALIGN_UP((size_t)CURB_GEMM_ROWS * gather_stride(p->depth), 64);
    // The VNNI packing may read the gathered rows' padding (whole quads); the input itself only to its depth.
    int32_t pack_depth = curb_isa_is_vnni(p->isa) && !p->pointwise ? (int32_t)gather_stride(p->depth) : p->depth;
#if defined(__x86_64__)
    if (p->isa == CURB_ISA_AVX512_VNNI) {
        size_t slot = panel_slot_bytes(p->depth, p->depth_pairs);
        // 2 panels (8 rows) per step over pairs of channel blocks; 4 panels (16 rows) when one block is all.
        int32_t group = block_end - block_begin == 1 || p->row_pairs ? 4 : 2;
        // Straight from the input when kernel rows are whole quads (1x1 kernels are not padded) of at most 64 bytes.
        int direct_panels = !p->pointwise && p->dilation_width == 1 && p->run_stride <= 64 && p->run_stride % 4 == 0;
        curb_pixel_cursor cursor = curb_pixel_cursor_at(p, row_begin * CURB_GEMM_ROWS);
        for (int32_t row_block = row_begin; row_block < row_end; row_block += group) {
            int32_t panel_count = row_end - row_block < group ? row_end - row_block : group;
            const uint8_t *panels[CURB_GEMM_AVX512_PANELS];
            for (int32_t i = 0; i < panel_count; i++) {
                int32_t first_row = (row_block + i) * CURB_GEMM_ROWS;
                int32_t row_count = rows_total - first_row < CURB_GEMM_ROWS ? rows_total - first_row : CURB_GEMM_ROWS;
                uint8_t *slot_start = scratch + (size_t)i * slot;
                panels[i] = slot_start + panel_offset;
                if (direct_panels && row_count == CURB_GEMM_ROWS) {
                    curb_conv_gather_panel_avx512(p, &cursor, slot_start + panel_offset);
                    continue;
                }
                const int8_t *rows[4];
                gather_rows(p, first_row, row_count, (int8_t *)slot_start, rows);
                pack_panel(p->isa, rows, pack_depth, (int16_t *)(slot_start + panel_offset));
            }
            for (int32_t i = panel_count; i < group; i++) panels[i] = panels[0];
            int32_t first_row = row_block * CURB_GEMM_ROWS;
            // Only this part's rows: the repeated panels' rows belong to the next part.
            int32_t row_count = rows_total - first_row;
            if (row_count > panel_count * CURB_GEMM_ROWS) row_count = panel_count * CURB_GEMM_ROWS;
            if (p->row_pairs) {
                curb_conv_row_pairs_avx512(p, panels, first_row, row_count);
                continue;
            }
            for (int32_t block = block_begin; block < block_end; block += 2) {
                curb_conv_tiles_avx512(p, panels, group, block, block + 1 < block_end ? 2 : 1, first_row, row_count);
            }
        }
        return;
    }
#endif
    int8_t *buffer = (int8_t *)scratch;
    int16_t *panel = (int16_t *)(scratch + panel_offset);
    for (int32_t row_block = row_begin; row_block < row_end; row_block++) {
        int32_t first_row = row_block * CURB_GEMM_ROWS;
        int32_t row_count = rows_total - first_row < CURB_GEMM_ROWS ? rows_total - first_row : CURB_GEMM_ROWS;
        const int8_t *rows[4];
        gather_rows(p, first_row, row_count, buffer, rows);
        pack_panel(p->isa, rows, pack_depth, panel);
        for (int32_t block = block_begin; block < block_end; block++) tile(p, panel, block, first_row, row_count);
    }
}

static void conv_task(void *context, int chunk, int chunks, int thread) {
    curb_conv_run_part(context, chunk, chunks, thread);
}

void curb_conv_run(const curb_conv_params *p, curb_pool *pool) {
    int threads = curb_pool_threads(pool);
    int32_t rows_total = p->batches * p->output_height * p->output_width;
    int32_t row_blocks = (rows_total + CURB_GEMM_ROWS - 1) / CURB_GEMM_ROWS;
    // Three chunks per thread: small enough that a late worker leaves little for the others to wait on.
    int chunks = threads == 1 ? 1 : 3 * threads;
    int32_t units = split_rows(row_blocks, p->channel_blocks, chunks) ? row_blocks : p->channel_blocks;
    if (chunks > units) chunks = units;
    curb_pool_run(pool, conv_task, (void *)p, chunks);
}

// Depthwise convolution (depth multiplier 1): the driver, packing, and the portable row kernel.
#include "internal.h"
#include <string.h>

/// Whether this layer runs the AVX-512 row (32-channel blocks; the tap pointers of a pixel fit a fixed array).
static int uses_wide_layout(int32_t isa, int32_t taps) {
    return isa == CURB_ISA_AVX512_VNNI && taps <= CURB_DEPTHWISE_WIDE_TAPS;
}

/// Bytes of one block of the quad layout (see curb_depthwise_params), `width` 64 (AVX-512) or 32 (AVX-VNNI)
/// channels: weights [kx][4][width / 4][4], offsets [4][width / 4], the requantization of its `width` lanes.
static size_t quad_block_bytes(int32_t width) {
    return (size_t)width * 3 * 4 + (size_t)width * 4 + (size_t)width / 16 * sizeof(curb_magnitude_rounding);
}

/// The quad layout's bytes for a 9-tap kernel (reserved for any 9-tap shape: the layout is for 3x3, and the shape
/// is not known here), with a zero-point row of one block.
static size_t quad_scratch_bytes(int32_t channels, int32_t taps, int32_t width) {
    if (taps != 9) return 0;
    if (width == 64 && (channels == 16 || channels == 32)) return quad_block_bytes(width) + 64;   // pixel groups
    return channels >= width ? (size_t)(channels / width) * quad_block_bytes(width) + 64 : 0;
}

static size_t wide_scratch_bytes(int32_t channels, int32_t taps) {
    size_t padded = (size_t)CURB_ALIGN_UP(channels, 32);
    size_t pairs = (size_t)(taps + 1) / 2;
    return CURB_ALIGN_UP(pairs * padded * 2 * sizeof(int16_t), 64) + 4 * CURB_ALIGN_UP(padded * sizeof(int32_t), 64)
         + CURB_ALIGN_UP(padded, 64) + padded / 16 * sizeof(curb_magnitude_rounding)
         + quad_scratch_bytes(channels, taps, 64);
}

/// The quad layout (see curb_depthwise_params) of a 3x3 layer's whole blocks of `width` channels, at `cursor`
/// (quad_scratch_bytes long). Accumulator a, lane l of a block holds channel 16·(l / 4) + 4·a + l % 4; with
/// `group` > 1 (16 or 32 channels, width 64) one block holds `group` adjacent pixels, so that channel modulo the
/// layer's channels.
static void prepare_quads(curb_depthwise_params *p, const int8_t *filter, const int32_t *bias, const int32_t *multiplier,
                          const int32_t *shift, int32_t width, int32_t group, uint8_t *cursor) {
    int32_t channels = p->channels, blocks = group > 1 ? 1 : channels / width, lanes = width / 4;
    int8_t *weights = (int8_t *)cursor;
    int32_t *offsets = (int32_t *)(cursor + (size_t)blocks * width * 3 * 4);
    curb_magnitude_rounding *magnitude = (curb_magnitude_rounding *)(cursor + (size_t)blocks * width * (3 * 4 + 4));
    int8_t *zero_points = (int8_t *)(magnitude + (size_t)blocks * width / 16);
    memset(zero_points, (int8_t)p->input_zero_point, 64);
    for (int32_t block = 0; block < blocks; block++) {
        // The block's multipliers and right shifts in lane order, 16 per requantization record.
        int32_t lane_multiplier[64], lane_right[64];
        for (int32_t accumulator = 0; accumulator < 4; accumulator++) {
            for (int32_t lane = 0; lane < lanes; lane++) {
                int32_t c = block * width + 16 * (lane / 4) + 4 * accumulator + lane % 4;
                if (group > 1) c %= channels;
                uint32_t sum = 0;
                for (int32_t kx = 0; kx < 3; kx++) {
                    int8_t *quad = weights + ((((size_t)block * 3 + kx) * 4 + accumulator) * lanes + lane) * 4;
                    for (int32_t ky = 0; ky < 3; ky++) {
                        quad[ky] = filter[(size_t)(ky * 3 + kx) * channels + c];
                        sum += (uint32_t)(int32_t)quad[ky];
                    }
                    quad[3] = 0;
                }
                uint32_t zero_point = (uint32_t)p->input_zero_point + 128u;
                offsets[((size_t)block * 4 + accumulator) * lanes + lane] = (int32_t)((bias ? (uint32_t)bias[c] : 0u) - zero_point * sum);
                lane_multiplier[accumulator * lanes + lane] = multiplier[c];
                lane_right[accumulator * lanes + lane] = -shift[c];
            }
        }
        for (int32_t record = 0; record < width / 16; record++) {
            curb_magnitude_rounding_fill(magnitude + (size_t)block * width / 16 + record, lane_multiplier + 16 * record,
                                         lane_right + 16 * record);
        }
    }
    p->quad_channels = group > 1 ? 0 : blocks * width;
    p->quad_group = group > 1 ? group : 0;
    p->quad_filter = weights;
    p->quad_offset = offsets;
    p->quad_magnitude = magnitude;
    p->quad_zero_point_row = zero_points;
}

/// The AVX2 rows' one-rounding requantization values, per 16 channels.
static size_t narrow_magnitude_bytes(int32_t isa, int32_t channels) {
    return curb_isa_is_avx2(isa) ? (size_t)CURB_ALIGN_UP(channels, 16) / 16 * sizeof(curb_magnitude_rounding) : 0;
}

/// Whether the one-rounding requantization is exact for every channel of a layer without left shifts
/// (filter [taps][channels]).
static int magnitude_exact(const curb_depthwise_params *p, const int8_t *filter, const int32_t *bias,
                           const int32_t *multiplier, const int32_t *shift, int32_t taps) {
    return curb_layer_magnitude_exact(filter, p->channels, taps, 1, (size_t)p->channels, bias, multiplier, shift,
                                      p->input_zero_point);
}

/// No quad layout (the other layouts' default).
static void clear_quads(curb_depthwise_params *p) {
    p->quad_channels = 0;
    p->quad_group = 0;
    p->quad_filter = NULL; p->quad_offset = NULL; p->quad_magnitude = NULL; p->quad_zero_point_row = NULL;
}

size_t curb_depthwise_scratch_bytes(int32_t isa, int32_t channels, int32_t taps) {
    if (uses_wide_layout(isa, taps)) return wide_scratch_bytes(channels, taps);
    size_t padded = (size_t)CURB_ALIGN_UP(channels, 16);
    size_t pairs = (size_t)(taps + 1) / 2;
    return CURB_ALIGN_UP((size_t)taps * padded * sizeof(int16_t), 64) + 5 * CURB_ALIGN_UP(padded * sizeof(int32_t), 64)
         + CURB_ALIGN_UP(pairs * padded * 2 * sizeof(int16_t), 64) + narrow_magnitude_bytes(isa, channels)
         + (isa == CURB_ISA_AVX2_VNNI ? quad_scratch_bytes(channels, taps, 32) : 0);
}

/// The channel (within its 32-channel block) that lane `lane` of vector `half` holds after vpunpck{l,h}wd.
static int32_t wide_channel(int32_t half, int32_t lane) { return 8 * (lane / 4) + 4 * half + lane % 4; }

static void prepare_wide(curb_depthwise_params *p, const int8_t *filter, const int32_t *bias,
                         const int32_t *multiplier, const int32_t *shift, uint8_t *cursor) {
    int32_t channels = p->channels, taps = p->kernel_height * p->kernel_width, pairs = (taps + 1) / 2;
    int32_t padded = CURB_ALIGN_UP(channels, 32), blocks = padded / 32;
    int16_t *weights = (int16_t *)cursor;
    cursor += CURB_ALIGN_UP((size_t)pairs * padded * 2 * sizeof(int16_t), 64);
    size_t per_channel = CURB_ALIGN_UP((size_t)padded * sizeof(int32_t), 64);
    int32_t *biases = (int32_t *)cursor; cursor += per_channel;
    int32_t *multipliers = (int32_t *)cursor; cursor += per_channel;
    int32_t *left = (int32_t *)cursor; cursor += per_channel;
    int32_t *right = (int32_t *)cursor; cursor += per_channel;
    int8_t *zero_points = (int8_t *)cursor;
    memset(zero_points, (int8_t)p->input_zero_point, (size_t)padded);
    cursor += CURB_ALIGN_UP((size_t)padded, 64);
    curb_magnitude_rounding *magnitude = (curb_magnitude_rounding *)cursor;
    for (int32_t block = 0; block < blocks; block++) {
        for (int32_t half = 0; half < 2; half++) {
            for (int32_t lane = 0; lane < 16; lane++) {
                // Layers of at most 16 channels put two pixels in a block: its channels 16…31 are 0…15 again.
                int32_t c = block * 32 + wide_channel(half, lane);
                if (channels <= 16) c %= 16;
                int valid = c < channels;
                for (int32_t pair = 0; pair < pairs; pair++) {
                    int32_t first = 2 * pair, second = 2 * pair + 1;
                    int16_t *destination = weights + ((((size_t)block * pairs + pair) * 2 + half) * 16 + lane) * 2;
                    destination[0] = valid ? filter[(size_t)first * channels + c] : 0;
                    destination[1] = valid && second < taps ? filter[(size_t)second * channels + c] : 0;
                }
                uint32_t sum = 0;
                for (int32_t tap = 0; valid && tap < taps; tap++) sum += (uint32_t)(int32_t)filter[(size_t)tap * channels + c];
                size_t index = ((size_t)block * 2 + half) * 16 + lane;
                uint32_t b = valid && bias ? (uint32_t)bias[c] : 0u;
                biases[index] = (int32_t)(b - (uint32_t)p->input_zero_point * sum);
                multipliers[index] = valid ? multiplier[c] : 0;
                left[index] = valid && shift[c] > 0 ? shift[c] : 0;
                right[index] = valid && shift[c] < 0 ? -shift[c] : 0;
            }
        }
    }
    p->shifts_left = curb_any_left_shift(shift, channels);
    // The one-rounding requantization, when it is exact for every channel's accumulators.
    int exact = !p->shifts_left && magnitude_exact(p, filter, bias, multiplier, shift, taps);
    for (int32_t half = 0; exact && half < 2 * blocks; half++) {
        curb_magnitude_rounding_fill(magnitude + half, multipliers + (size_t)half * 16, right + (size_t)half * 16);
    }
    p->wide_magnitude = exact ? magnitude : NULL;
    p->magnitude = NULL;
    clear_quads(p);
    // (no left shift when exact: every shift is ≤ 0)
    int three_by_three = p->kernel_height == 3 && p->kernel_width == 3;
    if (exact && three_by_three && channels >= 64) {
        prepare_quads(p, filter, bias, multiplier, shift, 64, 1, (uint8_t *)(magnitude + 2 * blocks));
    } else if (exact && three_by_three && (channels == 16 || channels == 32) && p->stride_width == 1
               && p->dilation_width == 1) {
        prepare_quads(p, filter, bias, multiplier, shift, 64, 64 / channels, (uint8_t *)(magnitude + 2 * blocks));
    }
    p->tap_pairs = pairs;
    p->padded_channels = padded;
    p->pixel_pairs = channels <= 16;
    p->wide_filter = weights;
    p->wide_bias = biases;
    p->wide_multiplier = multipliers;
    p->wide_left_shift = left;
    p->wide_right_shift = right;
    p->zero_point_row = zero_points;
}

void curb_depthwise_prepare(curb_depthwise_params *p, const int8_t *filter, const int32_t *bias,
                            const int32_t *multiplier, const int32_t *shift, void *scratch) {
    if (uses_wide_layout(p->isa, p->kernel_height * p->kernel_width)) {
        prepare_wide(p, filter, bias, multiplier, shift, scratch);
        return;
    }
    int32_t channels = p->channels;
    int32_t padded = CURB_ALIGN_UP(channels, 16);
    int32_t taps = p->kernel_height * p->kernel_width;
    p->padded_channels = padded;
    uint8_t *cursor = scratch;
    int16_t *packed = (int16_t *)cursor;
    cursor += CURB_ALIGN_UP((size_t)taps * padded * sizeof(int16_t), 64);
    size_t per_channel = CURB_ALIGN_UP((size_t)padded * sizeof(int32_t), 64);
    int32_t *biases = (int32_t *)cursor; cursor += per_channel;
    int32_t *multipliers = (int32_t *)cursor; cursor += per_channel;
    int32_t *left = (int32_t *)cursor; cursor += per_channel;
    int32_t *right = (int32_t *)cursor; cursor += per_channel;
    int32_t *full_bias = (int32_t *)cursor; cursor += per_channel;
    int32_t pairs = (taps + 1) / 2;
    int16_t *pair_filter = (int16_t *)cursor;
    for (int32_t pair = 0; pair < pairs; pair++) {
        for (int32_t c = 0; c < padded; c++) {
            int32_t first = 2 * pair, second = 2 * pair + 1;
            int16_t *destination = pair_filter + ((size_t)pair * padded + c) * 2;
            destination[0] = c < channels ? filter[(size_t)first * channels + c] : 0;
            destination[1] = c < channels && second < taps ? filter[(size_t)second * channels + c] : 0;
        }
    }
    for (int32_t tap = 0; tap < taps; tap++) {
        for (int32_t c = 0; c < padded; c++) {
            packed[(size_t)tap * padded + c] = c < channels ? filter[(size_t)tap * channels + c] : 0;
        }
    }
    for (int32_t c = 0; c < padded; c++) {
        int valid = c < channels;
        biases[c] = valid && bias ? bias[c] : 0;
        multipliers[c] = valid ? multiplier[c] : 0;
        left[c] = valid && shift[c] > 0 ? shift[c] : 0;
        right[c] = valid && shift[c] < 0 ? -shift[c] : 0;
    }
    for (int32_t c = 0; c < padded; c++) {
        uint32_t sum = 0;
        for (int32_t tap = 0; tap < taps; tap++) sum += (uint32_t)(int32_t)packed[(size_t)tap * padded + c];
        full_bias[c] = (int32_t)((uint32_t)biases[c] - (uint32_t)p->input_zero_point * sum);
    }
    cursor += CURB_ALIGN_UP((size_t)pairs * padded * 2 * sizeof(int16_t), 64);
    curb_magnitude_rounding *magnitude = (curb_magnitude_rounding *)cursor;
    int exact = curb_isa_is_avx2(p->isa) && !curb_any_left_shift(shift, channels)
             && magnitude_exact(p, filter, bias, multiplier, shift, taps);
    for (int32_t block = 0; exact && block < padded / 16; block++) {
        curb_magnitude_rounding_fill(magnitude + block, multipliers + (size_t)block * 16, right + (size_t)block * 16);
    }
    p->magnitude = exact ? magnitude : NULL;
    p->tap_pairs = pairs;
    p->wide_magnitude = NULL;
    clear_quads(p);
    if (exact && p->isa == CURB_ISA_AVX2_VNNI && p->kernel_height == 3 && p->kernel_width == 3 && channels >= 32) {
        prepare_quads(p, filter, bias, multiplier, shift, 32, 1,
                      (uint8_t *)magnitude + narrow_magnitude_bytes(p->isa, channels));
    }
    p->pair_filter = pair_filter;
    p->full_bias = full_bias;
    p->packed_filter = packed;
    p->bias = biases;
    p->multiplier = multipliers;
    p->left_shift = left;
    p->right_shift = right;
}

/// The definition: per output pixel, taps outside the input skipped, channels the inner loop over contiguous
/// bytes (in chunks whose accumulators stay on the stack) so a compiler can vectorize it on any target.
static void row_portable(const curb_depthwise_params *p, int32_t batch, int32_t out_y) {
    enum { CHUNK = 64 };
    int32_t origin_y = out_y * p->stride_height - p->padding_top;
    const int8_t *input_batch = p->input + (size_t)batch * p->input_height * p->input_width * p->channels;
    for (int32_t out_x = 0; out_x < p->output_width; out_x++) {
        int32_t origin_x = out_x * p->stride_width - p->padding_left;
        int8_t *out = p->output + (((size_t)batch * p->output_height + out_y) * p->output_width + out_x) * p->channels;
        for (int32_t first = 0; first < p->channels; first += CHUNK) {
            int32_t count = p->channels - first < CHUNK ? p->channels - first : CHUNK;
            uint32_t accumulators[CHUNK];
            for (int32_t c = 0; c < count; c++) accumulators[c] = 0;
            for (int32_t ky = 0; ky < p->kernel_height; ky++) {
                int32_t y = origin_y + ky * p->dilation_height;
                if (y < 0 || y >= p->input_height) continue;
                for (int32_t kx = 0; kx < p->kernel_width; kx++) {
                    int32_t x = origin_x + kx * p->dilation_width;
                    if (x < 0 || x >= p->input_width) continue;
                    const int8_t *values = input_batch + ((size_t)y * p->input_width + x) * p->channels + first;
                    const int16_t *weights = p->packed_filter + (size_t)(ky * p->kernel_width + kx) * p->padded_channels + first;
                    int32_t zero_point = p->input_zero_point;
                    for (int32_t c = 0; c < count; c++) {
                        accumulators[c] += (uint32_t)((int32_t)weights[c] * ((int32_t)values[c] - zero_point));
                    }
                }
            }
            for (int32_t c = 0; c < count; c++) {
                int32_t channel = first + c;
                out[channel] = curb_requantize_one((int32_t)accumulators[c], p->bias[channel], p->multiplier[channel],
                                                   p->left_shift[channel], p->right_shift[channel],
                                                   p->output_zero_point, p->activation_min, p->activation_max);
            }
        }
    }
}

void curb_depthwise_run_part(const curb_depthwise_params *p, int part, int parts) {
    int32_t rows = p->batches * p->output_height;
    int32_t begin = (int32_t)((int64_t)rows * part / parts), end = (int32_t)((int64_t)rows * (part + 1) / parts);
    for (int32_t row = begin; row < end; row++) {
        int32_t batch = row / p->output_height, out_y = row % p->output_height;
#if defined(__x86_64__)
        if (p->wide_filter) { curb_depthwise_row_avx512(p, batch, out_y); continue; }
        if (p->quad_channels && p->isa == CURB_ISA_AVX2_VNNI) { curb_depthwise_row_vnni(p, batch, out_y); continue; }
        if (curb_isa_is_avx2(p->isa)) { curb_depthwise_row_avx2(p, batch, out_y, 0); continue; }
#endif
#if defined(__aarch64__)
        if (p->isa == CURB_ISA_NEON || p->isa == CURB_ISA_NEON_DOT) { curb_depthwise_row_neon(p, batch, out_y); continue; }
#endif
        row_portable(p, batch, out_y);
    }
}

static void depthwise_task(void *context, int chunk, int chunks, int thread) {
    (void)thread;
    curb_depthwise_run_part(context, chunk, chunks);
}

void curb_depthwise_run(const curb_depthwise_params *p, curb_pool *pool) {
    int threads = curb_pool_threads(pool);
    int rows = p->batches * p->output_height;
    int chunks = threads == 1 ? 1 : 3 * threads;
    if (chunks > rows) chunks = rows;
    curb_pool_run(pool, depthwise_task, (void *)p, chunks);
}

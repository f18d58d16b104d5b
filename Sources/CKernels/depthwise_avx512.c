// AVX-512 depthwise row: 32 channels per step, channel blocks outside and pixels inside so a block's weights
// and requantization values stay in registers along the row. Two taps' inputs (raw int8, sign-extended to
// int16) are interleaved with vpunpck{l,h}wd and multiplied, summed in pairs and accumulated with vpdpwssd
// (AVX-512 VNNI; the non-saturating form: the int32 sum wraps as the reference's). The zero point's share,
// − zp · Σ w, starts the accumulator; a tap outside the input reads the zero point itself, so its product
// cancels that share exactly as the reference's skipped tap adds nothing (int32 sums wrap, so the order does
// not change the bits). Border and interior pixels differ only in how their tap pointers are found.
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include "requantize_avx512.h"

#pragma clang attribute push(__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))), apply_to = function)

/// The block's values for its two 16-lane halves, loaded once per row.
typedef struct block_values {
    __m512i bias[2], multiplier[2], left[2], right[2];
    magnitude_values magnitude[2];
} block_values;

/// A tap's 32 channels as int16: the block's channels (`valid` of them), or for pixel pairs the layer's channels
/// (`valid` of the first 16) of the first pixel, then of the second.
static inline __attribute__((always_inline)) __m512i tap_words(const int8_t *first, const int8_t *second, int paired,
                                                              __mmask32 valid) {
    if (!paired) return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(valid, first));
    __m128i low = _mm_maskz_loadu_epi8((__mmask16)valid, first), high = _mm_maskz_loadu_epi8((__mmask16)valid, second);
    return _mm512_cvtepi8_epi16(_mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1));
}

/// One pixel of one 32-channel block (`taps` input pointers, already at the block's first channel), or with
/// `paired` two pixels of a layer of at most 16 channels (`second` and `second_out` the other's; `second_out`
/// NULL computes it but stores only the first).
static inline __attribute__((always_inline)) void pixel(const int8_t *const *sources, const int8_t *const *second,
                                                        int paired, int32_t taps, int32_t pairs,
                                                        const __m512i *weights, const block_values *values,
                                                        __mmask32 valid, __m512i zero_point, __m512i minimum,
                                                        __m512i maximum, int shifts_left, int full_range, int magnitude,
                                                        int8_t *out, int8_t *second_out) {
    __m512i low = values->bias[0], high = values->bias[1];
    for (int32_t pair = 0; pair < pairs; pair++) {
        __m512i first = tap_words(sources[2 * pair], second[2 * pair], paired, valid);
        __m512i next = 2 * pair + 1 < taps ? tap_words(sources[2 * pair + 1], second[2 * pair + 1], paired, valid)
                                           : _mm512_setzero_si512();
        low = _mm512_dpwssd_epi32(low, _mm512_unpacklo_epi16(first, next), _mm512_load_si512(weights + 2 * pair));
        high = _mm512_dpwssd_epi32(high, _mm512_unpackhi_epi16(first, next), _mm512_load_si512(weights + 2 * pair + 1));
    }
    __m512i scaled_low = magnitude ? scale16_magnitude(low, &values->magnitude[0], zero_point)
        : scale16(low, values->multiplier[0], values->left[0], values->right[0], zero_point, shifts_left);
    __m512i scaled_high = magnitude ? scale16_magnitude(high, &values->magnitude[1], zero_point)
        : scale16(high, values->multiplier[1], values->left[1], values->right[1], zero_point, shifts_left);
    // vpackssdw interleaves the halves' 128-bit lanes back into channel order. Saturating to int16, then to
    // int8, before the clamp to [minimum, maximum] (inside int8) gives the clamp's result; a layer clamping to
    // the whole int8 range needs only the saturation.
    __m512i words = _mm512_packs_epi32(scaled_low, scaled_high);
    if (!full_range) words = _mm512_min_epi16(_mm512_max_epi16(words, minimum), maximum);
    __m256i bytes = _mm512_cvtsepi16_epi8(words);
    if (!paired) {
        _mm256_mask_storeu_epi8(out, valid, bytes);
        return;
    }
    _mm_mask_storeu_epi8(out, (__mmask16)valid, _mm256_castsi256_si128(bytes));
    if (second_out) _mm_mask_storeu_epi8(second_out, (__mmask16)valid, _mm256_extracti128_si256(bytes, 1));
}

/// The quad layout's four vectors of one kernel column: its three rows' 64 channels (+128 as uint8) interleaved
/// into (ky 0, ky 1, ky 2, pad) quads per channel; the pad meets zero weights.
static inline __attribute__((always_inline)) void column_quads(const int8_t *row0, const int8_t *row1,
                                                               const int8_t *row2, __m512i quads[4]) {
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    __m512i t0 = _mm512_xor_si512(_mm512_loadu_si512(row0), bias);
    __m512i t1 = _mm512_xor_si512(_mm512_loadu_si512(row1), bias);
    __m512i t2 = _mm512_xor_si512(_mm512_loadu_si512(row2), bias);
    __m512i low01 = _mm512_unpacklo_epi8(t0, t1), high01 = _mm512_unpackhi_epi8(t0, t1);
    __m512i low2 = _mm512_unpacklo_epi8(t2, t2), high2 = _mm512_unpackhi_epi8(t2, t2);
    quads[0] = _mm512_unpacklo_epi16(low01, low2);
    quads[1] = _mm512_unpackhi_epi16(low01, low2);
    quads[2] = _mm512_unpacklo_epi16(high01, high2);
    quads[3] = _mm512_unpackhi_epi16(high01, high2);
}

/// Adds one kernel column's products (its weights: [4][16][4]) to a pixel's four accumulators.
static inline __attribute__((always_inline)) void add_column(__m512i accumulators[4], const __m512i quads[4],
                                                             const __m512i *weights) {
    for (int32_t a = 0; a < 4; a++) accumulators[a] = _mm512_dpbusd_epi32(accumulators[a], quads[a], _mm512_load_si512(weights + a));
}

/// A pixel's 64 channels requantized (one rounding), packed back into channel order, clamped and stored.
static inline __attribute__((always_inline)) void store_quad_pixel(const __m512i accumulators[4],
                                                                   const curb_magnitude_rounding *values,
                                                                   __m512i zero_point, __m512i minimum, __m512i maximum,
                                                                   int full_range, int8_t *out) {
    __m512i scaled[4];
    for (int32_t a = 0; a < 4; a++) {
        magnitude_values loaded = load_magnitude(values + a);
        scaled[a] = scale16_magnitude(accumulators[a], &loaded, zero_point);
    }
    __m512i bytes = _mm512_packs_epi16(_mm512_packs_epi32(scaled[0], scaled[1]), _mm512_packs_epi32(scaled[2], scaled[3]));
    if (!full_range) bytes = _mm512_min_epi8(_mm512_max_epi8(bytes, minimum), maximum);
    _mm512_storeu_si512(out, bytes);
}

/// The quad-layout channels of one output row of a 3x3 layer. `taps` are the 9 tap rows for this output row
/// (NULL outside the input) and their columns, as row() finds them; interior pixels of a stride-1 row go two at a
/// time, sharing the two middle columns' quads.
static inline __attribute__((always_inline)) void quad_row(const curb_depthwise_params *p, const int8_t *const *tap_rows,
                                                           const int32_t *tap_columns, int32_t interior_begin,
                                                           int32_t interior_end, int8_t *output_row, int full_range) {
    const int32_t channels = p->channels, input_width = p->input_width, output_width = p->output_width;
    const int32_t stride_width = p->stride_width, padding_left = p->padding_left;
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi8((char)p->activation_min), maximum = _mm512_set1_epi8((char)p->activation_max);
    for (int32_t c = 0; c < p->quad_channels; c += 64) {
        size_t block = (size_t)c / 64;
        const __m512i *weights = (const __m512i *)p->quad_filter + block * 12;
        const __m512i *offsets = (const __m512i *)p->quad_offset + block * 4;
        const curb_magnitude_rounding *values = p->quad_magnitude + block * 4;
        const int8_t *zero_points = p->quad_zero_point_row;
        // Border pixels, one at a time: each tap inside the input or on the zero-point row.
        for (int32_t out_x = 0; out_x < output_width; out_x++) {
            if (out_x == interior_begin) out_x = interior_end;
            if (out_x >= output_width) break;
            int32_t origin_x = out_x * stride_width - padding_left;
            const int8_t *sources[9];
            for (int32_t tap = 0; tap < 9; tap++) {
                int32_t x = origin_x + tap_columns[tap];
                sources[tap] = tap_rows[tap] && x >= 0 && x < input_width ? tap_rows[tap] + (size_t)x * channels + c
                                                                         : zero_points;
            }
            __m512i accumulators[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
            for (int32_t kx = 0; kx < 3; kx++) {
                __m512i quads[4];
                column_quads(sources[kx], sources[3 + kx], sources[6 + kx], quads);
                add_column(accumulators, quads, weights + 4 * kx);
            }
            store_quad_pixel(accumulators, values, zero_point, minimum, maximum, full_range,
                             output_row + (size_t)out_x * channels + c);
        }
        if (interior_begin >= interior_end) continue;
        // Interior pixels: the three rows' pointers at the first interior pixel's origin, moving by a stride.
        const ptrdiff_t column = (ptrdiff_t)p->dilation_width * channels, step = (ptrdiff_t)stride_width * channels;
        ptrdiff_t origin = (ptrdiff_t)(interior_begin * stride_width - padding_left) * channels + c;
        const int8_t *rows[3] = {tap_rows[0] + origin, tap_rows[3] + origin, tap_rows[6] + origin};
        int8_t *out = output_row + (size_t)interior_begin * channels + c;
        int32_t out_x = interior_begin;
        if (stride_width == 1 && p->dilation_width == 1) {
            // Pixels x and x + 1 read columns 0…3: columns 1 and 2 serve both.
            for (; out_x + 1 < interior_end; out_x += 2, out += 2 * channels) {
                __m512i first[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
                __m512i second[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
                for (int32_t kx = 0; kx < 4; kx++) {
                    __m512i quads[4];
                    column_quads(rows[0] + kx * column, rows[1] + kx * column, rows[2] + kx * column, quads);
                    if (kx < 3) add_column(first, quads, weights + 4 * kx);
                    if (kx > 0) add_column(second, quads, weights + 4 * (kx - 1));
                }
                store_quad_pixel(first, values, zero_point, minimum, maximum, full_range, out);
                store_quad_pixel(second, values, zero_point, minimum, maximum, full_range, out + channels);
                for (int32_t r = 0; r < 3; r++) rows[r] += 2 * step;
            }
        }
        for (; out_x < interior_end; out_x++, out += channels) {
            __m512i accumulators[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
            for (int32_t kx = 0; kx < 3; kx++) {
                __m512i quads[4];
                column_quads(rows[0] + kx * column, rows[1] + kx * column, rows[2] + kx * column, quads);
                add_column(accumulators, quads, weights + 4 * kx);
            }
            store_quad_pixel(accumulators, values, zero_point, minimum, maximum, full_range, out);
            for (int32_t r = 0; r < 3; r++) rows[r] += step;
        }
    }
}

/// The interior pixels [first, first + groups · quad_group) of a row of a 16- or 32-channel 3x3 layer at stride 1:
/// quad_group pixels per vector, each kernel column of all of them one 64-byte load (adjacent input pixels).
static inline __attribute__((always_inline)) void grouped_quad_row(const curb_depthwise_params *p,
                                                                   const int8_t *const *tap_rows, int32_t first,
                                                                   int32_t groups, int8_t *output_row, int full_range) {
    const int32_t channels = p->channels;
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi8((char)p->activation_min), maximum = _mm512_set1_epi8((char)p->activation_max);
    const __m512i *weights = (const __m512i *)p->quad_filter, *offsets = (const __m512i *)p->quad_offset;
    ptrdiff_t origin = (ptrdiff_t)(first - p->padding_left) * channels;
    for (int32_t group = 0; group < groups; group++, origin += 64) {
        __m512i accumulators[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
        for (int32_t kx = 0; kx < 3; kx++) {
            __m512i quads[4];
            column_quads(tap_rows[0] + origin + kx * channels, tap_rows[3] + origin + kx * channels,
                         tap_rows[6] + origin + kx * channels, quads);
            add_column(accumulators, quads, weights + 4 * kx);
        }
        store_quad_pixel(accumulators, p->quad_magnitude, zero_point, minimum, maximum, full_range,
                         output_row + (size_t)(first + group * p->quad_group) * channels);
    }
}

/// A whole output row. `kernel_height`, `kernel_width`, `shifts_left` (some channel's multiplier is above 1),
/// `full_range` (the clamp is [−128, 127]), `magnitude` (the one-rounding requantization, p->wide_magnitude) and
/// `quads` (3x3 with the quad layout: 1 its 64-channel blocks first, 2 its pixel groups for the interior) are
/// constants where the caller specializes them.
static inline __attribute__((always_inline)) void row(const curb_depthwise_params *p, int32_t batch, int32_t out_y,
                                                      int32_t kernel_height, int32_t kernel_width, int shifts_left,
                                                      int full_range, int paired, int magnitude, int quads) {
    // Locals, not p's fields: the int8 stores could alias them, and every reload would sit in the pixel loop.
    const int32_t taps = kernel_height * kernel_width, pairs = (taps + 1) / 2;
    const int32_t channels = p->channels, input_width = p->input_width, output_width = p->output_width;
    const int32_t stride_width = p->stride_width, padding_left = p->padding_left;
    int8_t *output_row = p->output + ((size_t)batch * p->output_height + out_y) * output_width * channels;
    const int8_t *tap_rows[CURB_DEPTHWISE_WIDE_TAPS];
    int32_t tap_columns[CURB_DEPTHWISE_WIDE_TAPS];
    int32_t interior_begin, interior_end;
    curb_depthwise_row_taps(p, batch, out_y, kernel_height, kernel_width, tap_rows, tap_columns, &interior_begin,
                            &interior_end);

    int32_t first_channel = 0;
    if (quads == 1) {
        quad_row(p, tap_rows, tap_columns, interior_begin, interior_end, output_row, full_range);
        first_channel = p->quad_channels;
    }
    // The interior pixels the code below computes (pixel groups take the first ones).
    int32_t interior_first = interior_begin;
    if (quads == 2 && interior_begin < interior_end) {
        int32_t groups = (interior_end - interior_begin) / p->quad_group;
        grouped_quad_row(p, tap_rows, interior_begin, groups, output_row, full_range);
        interior_first += groups * p->quad_group;
    }
    const __m512i zero_point = _mm512_set1_epi32(p->output_zero_point);
    const __m512i minimum = _mm512_set1_epi16((int16_t)p->activation_min);
    const __m512i maximum = _mm512_set1_epi16((int16_t)p->activation_max);
    for (int32_t c = first_channel; c < channels; c += 32) {
        int32_t count = channels - c < 32 ? channels - c : 32;
        __mmask32 valid = count == 32 ? 0xFFFFFFFFu : (__mmask32)((1u << count) - 1);
        size_t block = (size_t)c / 32;
        const __m512i *weights = (const __m512i *)p->wide_filter + block * (size_t)pairs * 2;
        block_values values;
        for (int half = 0; half < 2; half++) {
            size_t at = (block * 2 + (size_t)half) * 16;
            values.bias[half] = _mm512_load_si512(p->wide_bias + at);
            if (magnitude) {
                values.magnitude[half] = load_magnitude(p->wide_magnitude + block * 2 + (size_t)half);
                continue;
            }
            values.multiplier[half] = _mm512_load_si512(p->wide_multiplier + at);
            values.left[half] = _mm512_load_si512(p->wide_left_shift + at);
            values.right[half] = _mm512_load_si512(p->wide_right_shift + at);
        }
        const int8_t *zero_points = p->zero_point_row + c;
        const int8_t *sources[CURB_DEPTHWISE_WIDE_TAPS];
        // Border pixels, one at a time: each tap inside the input or on the zero-point row.
        for (int32_t out_x = 0; out_x < output_width; out_x++) {
            if (out_x == interior_begin) out_x = interior_end;
            if (out_x >= output_width) break;
            int32_t origin_x = out_x * stride_width - padding_left;
            for (int32_t tap = 0; tap < taps; tap++) {
                int32_t x = origin_x + tap_columns[tap];
                sources[tap] = tap_rows[tap] && x >= 0 && x < input_width
                    ? tap_rows[tap] + (size_t)x * channels + c : zero_points;
            }
            pixel(sources, sources, paired, taps, pairs, weights, &values, valid, zero_point, minimum, maximum,
                  shifts_left, full_range, magnitude, output_row + (size_t)out_x * channels + c, NULL);
        }
        // Interior pixels: the taps at fixed offsets from a pointer that moves by one stride per pixel; two pixels
        // at a time when they share a block.
        if (interior_first < interior_end) {
            ptrdiff_t offsets[CURB_DEPTHWISE_WIDE_TAPS];
            const int8_t *origin = tap_rows[0] + (ptrdiff_t)(interior_first * stride_width - padding_left) * channels + c;
            for (int32_t tap = 0; tap < taps; tap++) {
                offsets[tap] = (tap_rows[tap] - tap_rows[0]) + (ptrdiff_t)tap_columns[tap] * channels;
            }
            const ptrdiff_t step = (ptrdiff_t)stride_width * channels;
            int8_t *out = output_row + (size_t)interior_first * channels + c;
            int32_t out_x = interior_first;
            const int8_t *second[CURB_DEPTHWISE_WIDE_TAPS];
            for (; paired && out_x + 1 < interior_end; out_x += 2, origin += 2 * step, out += 2 * channels) {
                for (int32_t tap = 0; tap < taps; tap++) {
                    sources[tap] = origin + offsets[tap];
                    second[tap] = origin + step + offsets[tap];
                }
                pixel(sources, second, 1, taps, pairs, weights, &values, valid, zero_point, minimum, maximum,
                      shifts_left, full_range, magnitude, out, out + channels);
            }
            for (; out_x < interior_end; out_x++, origin += step, out += channels) {
                for (int32_t tap = 0; tap < taps; tap++) sources[tap] = origin + offsets[tap];
                pixel(sources, sources, paired, taps, pairs, weights, &values, valid, zero_point, minimum, maximum,
                      shifts_left, full_range, magnitude, out, NULL);
            }
        }
    }
}

void curb_depthwise_row_avx512(const curb_depthwise_params *p, int32_t batch, int32_t out_y) {
    int three_by_three = p->kernel_height == 3 && p->kernel_width == 3;
    int full_range = p->activation_min == -128 && p->activation_max == 127;
    int magnitude = p->wide_magnitude != NULL;
    if (p->pixel_pairs) {
        if (p->quad_group) {
            row(p, batch, out_y, 3, 3, 0, full_range, 1, 1, 2);
        } else if (three_by_three && magnitude) {
            row(p, batch, out_y, 3, 3, 0, full_range, 1, 1, 0);
        } else if (three_by_three && !p->shifts_left) {
            row(p, batch, out_y, 3, 3, 0, full_range, 1, 0, 0);
        } else {
            row(p, batch, out_y, p->kernel_height, p->kernel_width, 1, 0, 1, 0, 0);
        }
    } else if (p->quad_group && full_range) {
        row(p, batch, out_y, 3, 3, 0, 1, 0, 1, 2);
    } else if (p->quad_group) {
        row(p, batch, out_y, 3, 3, 0, 0, 0, 1, 2);
    } else if (p->quad_channels && full_range) {
        row(p, batch, out_y, 3, 3, 0, 1, 0, 1, 1);
    } else if (p->quad_channels) {
        row(p, batch, out_y, 3, 3, 0, 0, 0, 1, 1);
    } else if (three_by_three && magnitude && full_range) {
        row(p, batch, out_y, 3, 3, 0, 1, 0, 1, 0);
    } else if (three_by_three && magnitude) {
        row(p, batch, out_y, 3, 3, 0, 0, 0, 1, 0);
    } else if (three_by_three && !p->shifts_left && full_range) {
        row(p, batch, out_y, 3, 3, 0, 1, 0, 0, 0);
    } else if (three_by_three && !p->shifts_left) {
        row(p, batch, out_y, 3, 3, 0, 0, 0, 0, 0);
    } else {
        row(p, batch, out_y, p->kernel_height, p->kernel_width, 1, 0, 0, 0, 0);
    }
}

#pragma clang attribute pop
#endif

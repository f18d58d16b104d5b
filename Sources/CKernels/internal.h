// Shared by the kernel files: the scalar TFLite requantization (the definition every vector version matches)
// and the per-instruction-set entry points the drivers dispatch to.
#ifndef CURB_KERNELS_INTERNAL_H
#define CURB_KERNELS_INTERNAL_H
#include "curb_kernels.h"
#include <stddef.h>

#define CURB_ALIGN_UP(x, a) (((x) + ((a) - 1)) / (a) * (a))

/// Panels of 4 gathered rows the AVX-512 GEMM takes per step (per-thread scratch holds this many).
enum { CURB_GEMM_AVX512_PANELS = 4 };

/// 1 when some channel's shift is positive (its multiplier is above 1: MBQM shifts left first). Kernels take a
/// path without the left shift when none is.
static inline int32_t curb_any_left_shift(const int32_t *shift, int32_t count) {
    int32_t any = 0;
    for (int32_t i = 0; i < count; i++) any |= shift[i] > 0;
    return any;
}

/// MultiplyByQuantizedMultiplier's SRDHM then RDBPOT (multiplier ≥ 0, 0 ≤ right_shift ≤ 31) with one rounding and
/// no branch, so the portable loops over it vectorize. SRDHM(x, m) is floor((x·m + 2^30) / 2^31) for every x
/// (gemmlowp's nudge with a truncating division), and RDBPOT by e ≥ 1 adds 2^(e−1), less one below zero, before
/// its floor; nested floors compose, so with t = x·m + 2^30 the result is
/// floor((t + 2^(30+e) − [t < 0]·2^31) / 2^(31+e)) (and floor(t / 2^31) for e = 0). RequantizeRowTests checks
/// it against the two-step reference on every shift and the rounding ties.
static inline int32_t curb_scale(int32_t x, int32_t multiplier, int32_t right_shift) {
    int64_t t = (int64_t)x * multiplier + (INT64_C(1) << 30);
    int64_t rounding = right_shift ? (INT64_C(1) << (30 + right_shift)) - ((int64_t)(t < 0) << 31) : 0;
    return (int32_t)((t + rounding) >> (31 + right_shift));
}

/// The values of the vector one-rounding requantization for 16 lanes (scale16_magnitude; scale8_magnitude takes
/// either 8): per 64-bit lane, for its even and its odd channel, 2K (K = 2^30 + 2^(30+e), or 2^30 for e = 0) and
/// the shift counts 32 + e and e; then the doubled multipliers. 320 bytes: a 64-byte multiple.
typedef struct curb_magnitude_rounding {
    int64_t rounding_even[8], rounding_odd[8], shift_even[8], shift_odd[8];
    int32_t multiplier[16];
} curb_magnitude_rounding;

static inline void curb_magnitude_rounding_fill(curb_magnitude_rounding *values, const int32_t multiplier[16],
                                                const int32_t right_shift[16]) {
    for (int32_t lane = 0; lane < 16; lane++) {
        int32_t e = right_shift[lane];
        int64_t rounding = (INT64_C(1) << 31) + (e > 0 ? (INT64_C(1) << (31 + e)) : 0);
        if (lane % 2 == 0) {
            values->rounding_even[lane / 2] = rounding;
            values->shift_even[lane / 2] = 32 + e;
        } else {
            values->rounding_odd[lane / 2] = rounding;
            values->shift_odd[lane / 2] = e;
        }
        values->multiplier[lane] = (int32_t)((uint32_t)multiplier[lane] * 2u);
    }
}

/// Whether scale16_magnitude is exact for a channel without left shift (right shift e) whose accumulators (the
/// reference's bias + Σ w·(x − zp)) never exceed `bound` in magnitude. By magnitude, a negative x's quotient is
/// −floor((|x|·m + K − 1) / 2^(31+e)); scale16_magnitude drops the − 1, which changes the floor only when
/// |x|·m + K ≡ 0 (mod 2^(31+e)). K = 2^30·(1 + 2^e) (2^30 for e = 0) has exactly 30 trailing zero bits, so |x|·m
/// must have exactly 30: |x| = 2^(30−v)·t with t odd, v the multiplier's trailing zero bits, m = m'·2^v. Dividing
/// by 2^30, t·m' ≡ −(1 + 2^e) (mod 2^(1+e)) (t odd for e = 0): t ≥ t0, the least positive solution. So no
/// accumulator below 2^(30−v)·t0 can meet the dropped − 1. (The vector arithmetic also wants |x| < 2^30.)
static inline int curb_magnitude_rounding_exact(int64_t bound, int32_t multiplier, int32_t right_shift) {
    if (multiplier <= 0) return multiplier == 0;
    if (bound >= (INT64_C(1) << 30)) return 0;
    int32_t trailing = __builtin_ctz((uint32_t)multiplier);
    uint64_t odd = (uint64_t)multiplier >> trailing, modulus_mask = right_shift > 0 ? (UINT64_C(2) << right_shift) - 1 : 1;
    // The inverse of the odd part modulo 2^64 (Newton: each step doubles the correct low bits, 3 → 6 → … → 96).
    uint64_t inverse = odd;
    for (int step = 0; step < 5; step++) inverse *= 2 - odd * inverse;
    uint64_t rounding = right_shift > 0 ? 1 + (UINT64_C(1) << right_shift) : 1;
    uint64_t least = (0 - rounding * inverse) & modulus_mask;   // t0: odd, so never 0
    return bound < (int64_t)((UINT64_C(1) << (30 - trailing)) * least);
}

/// The largest magnitude of bias + Σ w·(x − zp) over int8 inputs x (a tap outside the input counts x = zp, inside
/// the range), given Σ |w|.
static inline int64_t curb_accumulator_bound(int64_t absolute_weight_sum, int32_t bias, int32_t input_zero_point) {
    int64_t below = 128 + (int64_t)input_zero_point, above = 127 - (int64_t)input_zero_point;   // |−128 − zp|, |127 − zp|
    int64_t magnitude = bias < 0 ? -(int64_t)bias : (int64_t)bias;
    return magnitude + absolute_weight_sum * (below > above ? below : above);
}

/// Whether the one-rounding form is exact for every channel of a layer without left shifts (every shift ≤ 0):
/// channel c's weights are filter[c · channel_stride + k · tap_stride] for k < taps.
static inline int curb_layer_magnitude_exact(const int8_t *filter, int32_t channels, int32_t taps, size_t channel_stride,
                                             size_t tap_stride, const int32_t *bias, const int32_t *multiplier,
                                             const int32_t *shift, int32_t input_zero_point) {
    for (int32_t channel = 0; channel < channels; channel++) {
        int64_t absolute_sum = 0;
        for (int32_t k = 0; k < taps; k++) {
            int32_t w = filter[(size_t)channel * channel_stride + (size_t)k * tap_stride];
            absolute_sum += w < 0 ? -w : w;
        }
        int64_t bound = curb_accumulator_bound(absolute_sum, bias ? bias[channel] : 0, input_zero_point);
        if (!curb_magnitude_rounding_exact(bound, multiplier[channel], -shift[channel])) return 0;
    }
    return 1;
}

/// acc (+ offset, wrapping) → MultiplyByQuantizedMultiplier (the left shift wraps, as TFLite's C++ does)
/// → + zero point (wrapping) → clamp.
static inline int8_t curb_requantize_one(int32_t accumulator, int32_t offset, int32_t multiplier, int32_t left_shift,
                                         int32_t right_shift, int32_t zero_point, int32_t minimum, int32_t maximum) {
    int32_t x = (int32_t)((uint32_t)accumulator + (uint32_t)offset);
    x = (int32_t)((uint32_t)x << left_shift);
    int32_t scaled = curb_scale(x, multiplier, right_shift);
    int32_t result = (int32_t)((uint32_t)scaled + (uint32_t)zero_point);
    if (result < minimum) result = minimum;
    if (result > maximum) result = maximum;
    return (int8_t)result;
}

/// One element of ADD: each input offset and shifted left (wrapping, as the C++'s multiply by 2^L does), rescaled
/// with MultiplyByQuantizedMultiplierSmallerThanOneExp, summed (wrapping), rescaled, + zero point, clamped.
static inline int8_t curb_add_one(const curb_add_params *p, int8_t a, int8_t b) {
    int32_t shifted1 = (int32_t)((uint32_t)(p->input1_offset + a) << p->left_shift);
    int32_t shifted2 = (int32_t)((uint32_t)(p->input2_offset + b) << p->left_shift);
    int32_t scaled1 = curb_scale(shifted1, p->input1_multiplier, p->input1_right_shift);
    int32_t scaled2 = curb_scale(shifted2, p->input2_multiplier, p->input2_right_shift);
    int32_t sum = (int32_t)((uint32_t)scaled1 + (uint32_t)scaled2);
    int32_t result = curb_scale(sum, p->output_multiplier, p->output_right_shift);
    result = (int32_t)((uint32_t)result + (uint32_t)p->output_zero_point);
    if (result < p->activation_min) result = p->activation_min;
    if (result > p->activation_max) result = p->activation_max;
    return (int8_t)result;
}

/// The x86-64 instruction sets whose kernels are the AVX2 ones (VNNI only changes the GEMM).
static inline int curb_isa_is_avx2(int isa) {
    return isa == CURB_ISA_AVX2 || isa == CURB_ISA_AVX2_VNNI || isa == CURB_ISA_AVX512_VNNI;
}
/// The instruction sets whose GEMM takes int8 weights in quads and inputs biased to uint8.
static inline int curb_isa_is_vnni(int isa) { return isa == CURB_ISA_AVX2_VNNI || isa == CURB_ISA_AVX512_VNNI; }

/// An output pixel's position, counted forward instead of divided out of its index.
typedef struct curb_pixel_cursor {
    int32_t batch, y, x;
} curb_pixel_cursor;

static inline curb_pixel_cursor curb_pixel_cursor_at(const curb_conv_params *p, int32_t pixel) {
    int32_t pixels = p->output_height * p->output_width, within = pixel % pixels;
    curb_pixel_cursor cursor = {pixel / pixels, within / p->output_width, within % p->output_width};
    return cursor;
}

static inline void curb_pixel_cursor_advance(curb_pixel_cursor *cursor, const curb_conv_params *p) {
    if (++cursor->x == p->output_width) {
        cursor->x = 0;
        if (++cursor->y == p->output_height) { cursor->y = 0; cursor->batch++; }
    }
}

/// For one output row of a depthwise layer: per tap, the input row it reads (NULL outside the input) and its
/// column offset from a pixel's origin; and the output columns whose every tap is inside the input,
/// [interior_begin, interior_end) (empty when a tap row is outside).
static inline void curb_depthwise_row_taps(const curb_depthwise_params *p, int32_t batch, int32_t out_y,
                                           int32_t kernel_height, int32_t kernel_width, const int8_t **tap_rows,
                                           int32_t *tap_columns, int32_t *interior_begin, int32_t *interior_end) {
    const int32_t channels = p->channels, input_width = p->input_width;
    const int8_t *input_batch = p->input + (size_t)batch * p->input_height * input_width * channels;
    int32_t origin_y = out_y * p->stride_height - p->padding_top;
    int rows_inside = 1;
    for (int32_t tap = 0; tap < kernel_height * kernel_width; tap++) {
        int32_t y = origin_y + (tap / kernel_width) * p->dilation_height;
        int inside = y >= 0 && y < p->input_height;
        tap_rows[tap] = inside ? input_batch + (size_t)y * input_width * channels : NULL;
        tap_columns[tap] = (tap % kernel_width) * p->dilation_width;
        rows_inside &= inside;
    }
    int32_t last_tap_column = (kernel_width - 1) * p->dilation_width;
    int32_t begin = (p->padding_left + p->stride_width - 1) / p->stride_width;
    int32_t reach = input_width - 1 + p->padding_left - last_tap_column;
    int32_t end = reach < 0 ? 0 : reach / p->stride_width + 1;
    if (end > p->output_width) end = p->output_width;
    if (!rows_inside || begin > end) begin = end = 0;
    *interior_begin = begin;
    *interior_end = end;
}

// Entry points per instruction set (x86-64: AVX2; aarch64: NEON). Each computes exactly what the portable
// version computes.
#if defined(__x86_64__)
void curb_conv_pack_panel_avx2(const int8_t *const rows[4], int32_t depth, int16_t *panel);
void curb_conv_tile_avx2(const curb_conv_params *p, const int16_t *panel, int32_t channel_block,
                         int32_t first_row, int32_t row_count);
void curb_conv_pack_panel_vnni(const int8_t *const rows[4], int32_t depth, uint8_t *panel);
void curb_conv_tile_vnni(const curb_conv_params *p, const uint8_t *panel, int32_t channel_block,
                         int32_t first_row, int32_t row_count);
/// The panel of the 4 output pixels from `cursor` on (all four exist; the cursor moves past them) straight from
/// the input, when dilation_width is 1 and run_stride is a multiple of 4 up to 64.
void curb_conv_gather_panel_avx512(const curb_conv_params *p, curb_pixel_cursor *cursor, uint8_t *panel);
/// Whether the CPU has AVX-512 VBMI (byte permutations across a whole register; not every VNNI CPU has it).
int curb_cpu_has_avx512_vbmi(void);
/// `panel_count` (2 or 4) panels of 4 rows, `blocks` (1 or 2; 1 with 4 panels) channel blocks; panels past the
/// rows may repeat the first (their rows are computed, not stored).
/// 4 panels (16 rows) of a layer with row_pairs (at most 8 channels).
void curb_conv_row_pairs_avx512(const curb_conv_params *p, const uint8_t *const panels[4], int32_t first_row,
                                int32_t row_count);
void curb_conv_tiles_avx512(const curb_conv_params *p, const uint8_t *const panels[], int32_t panel_count,
                            int32_t first_block, int32_t blocks, int32_t first_row, int32_t row_count);
void curb_depthwise_row_avx512(const curb_depthwise_params *p, int32_t batch, int32_t out_y);
/// Channels first_channel… of one output row.
void curb_depthwise_row_avx2(const curb_depthwise_params *p, int32_t batch, int32_t out_y, int32_t first_channel);
/// The quad layout's channels of one output row (AVX-VNNI), then the rest with the AVX2 row.
void curb_depthwise_row_vnni(const curb_depthwise_params *p, int32_t batch, int32_t out_y);
void curb_add_row_avx2(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count);
void curb_add_row_avx512(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count);
void curb_requantize_row_avx2(const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                              const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                              int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                              int8_t *output);
#endif
#if defined(__aarch64__)
void curb_conv_pack_panel_neon(const int8_t *const rows[4], int32_t depth, int16_t *panel);
void curb_conv_tile_neon(const curb_conv_params *p, const int16_t *panel, int32_t channel_block,
                         int32_t first_row, int32_t row_count);
void curb_depthwise_row_neon(const curb_depthwise_params *p, int32_t batch, int32_t out_y);
void curb_add_row_neon(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count);
void curb_requantize_row_neon(const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                              const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                              int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                              int8_t *output);
#endif

#endif

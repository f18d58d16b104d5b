// NEON versions of the micro-kernels (aarch64). The GEMM tile uses `vmlal` on the int16 panels, or `sdot`
// (int8 × int8 summed by fours into int32, exact) where the compiler targets the dot-product extension.
// Requantization uses `vqrdmulh` (exactly gemmlowp's SRDHM) and a fixed-up rounding shift (exactly RDBPOT).
// Built only for aarch64; tested bit-exact against the portable C under qemu (Tests/CKernelsNEON).
#if defined(__aarch64__)
#include "internal.h"
#include <arm_neon.h>
#include <string.h>

static inline int32x4_t requantize4(int32x4_t x, int32x4_t multiplier, int32x4_t left, int32x4_t right,
                                    int32x4_t zero_point, int32x4_t minimum, int32x4_t maximum) {
    x = vshlq_s32(x, left);                                   // wraps, as the C++ does
    int32x4_t high = vqrdmulhq_s32(x, multiplier);
    // RDBPOT: subtract 1 from negative values before a round-half-up shift → half away from zero.
    int32x4_t negative_shift = vnegq_s32(right);
    int32x4_t fixup = vshrq_n_s32(vandq_s32(high, negative_shift), 31);
    int32x4_t result = vrshlq_s32(vqaddq_s32(high, fixup), negative_shift);
    result = vaddq_s32(result, zero_point);
    return vminq_s32(vmaxq_s32(result, minimum), maximum);
}

static inline int8x16_t narrow16(int32x4_t a, int32x4_t b, int32x4_t c, int32x4_t d) {
    int16x8_t low = vcombine_s16(vqmovn_s32(a), vqmovn_s32(b));
    int16x8_t high = vcombine_s16(vqmovn_s32(c), vqmovn_s32(d));
    return vcombine_s8(vqmovn_s16(low), vqmovn_s16(high));
}

void curb_requantize_row_neon(const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                              const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                              int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                              int8_t *output) {
    const int32x4_t zero_point = vdupq_n_s32(output_zero_point);
    const int32x4_t minimum = vdupq_n_s32(activation_min), maximum = vdupq_n_s32(activation_max);
    int32_t i = 0;
    for (; i + 16 <= count; i += 16) {
        int32x4_t r[4];
        for (int q = 0; q < 4; q++) {
            int32_t j = i + 4 * q;
            r[q] = requantize4(vaddq_s32(vld1q_s32(accumulators + j), vld1q_s32(offset + j)), vld1q_s32(multiplier + j),
                               vld1q_s32(left_shift + j), vld1q_s32(right_shift + j), zero_point, minimum, maximum);
        }
        vst1q_s8(output + i, narrow16(r[0], r[1], r[2], r[3]));
    }
    for (; i < count; i++) {
        output[i] = curb_requantize_one(accumulators[i], offset[i], multiplier[i], left_shift[i], right_shift[i],
                                        output_zero_point, activation_min, activation_max);
    }
}

void curb_conv_pack_panel_neon(const int8_t *const rows[4], int32_t depth, int16_t *panel) {
    int32_t k = 0;
    for (; k + 8 <= depth; k += 8) {
        // 4 rows × 4 pairs: a 4×4 transpose of 32-bit (int16, int16) pairs.
        int32x4_t p0 = vreinterpretq_s32_s16(vmovl_s8(vld1_s8(rows[0] + k)));
        int32x4_t p1 = vreinterpretq_s32_s16(vmovl_s8(vld1_s8(rows[1] + k)));
        int32x4_t p2 = vreinterpretq_s32_s16(vmovl_s8(vld1_s8(rows[2] + k)));
        int32x4_t p3 = vreinterpretq_s32_s16(vmovl_s8(vld1_s8(rows[3] + k)));
        int32x4x2_t t01 = vtrnq_s32(p0, p1), t23 = vtrnq_s32(p2, p3);
        int32_t *out = (int32_t *)(panel + (size_t)(k / 2) * 8);
        vst1q_s32(out + 0, vcombine_s32(vget_low_s32(t01.val[0]), vget_low_s32(t23.val[0])));
        vst1q_s32(out + 4, vcombine_s32(vget_low_s32(t01.val[1]), vget_low_s32(t23.val[1])));
        vst1q_s32(out + 8, vcombine_s32(vget_high_s32(t01.val[0]), vget_high_s32(t23.val[0])));
        vst1q_s32(out + 12, vcombine_s32(vget_high_s32(t01.val[1]), vget_high_s32(t23.val[1])));
    }
    for (; k < depth; k += 2) {
        for (int r = 0; r < 4; r++) {
            panel[(k / 2) * 8 + r * 2] = rows[r][k];
            panel[(k / 2) * 8 + r * 2 + 1] = k + 1 < depth ? rows[r][k + 1] : 0;
        }
    }
}

void curb_conv_tile_neon(const curb_conv_params *p, const int16_t *panel, int32_t block, int32_t first_row,
                         int32_t row_count) {
    const int16_t *filter = p->packed_filter + (size_t)block * p->depth_pairs * CURB_GEMM_COLUMNS * 2;
    int32x4_t acc[4][4];
    for (int r = 0; r < 4; r++) for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_s32(0);
    int32_t pair = 0;
#if defined(__ARM_FEATURE_DOTPROD)
    if (p->isa == CURB_ISA_NEON_DOT) {
        // Two pairs = four depths: narrow the int16 values (they are int8 values) and regroup them by four
        // for sdot. 4 rows × 16 columns × 4 depths per step.
        for (; pair + 2 <= p->depth_pairs; pair += 2) {
            const int16_t *w = filter + (size_t)pair * CURB_GEMM_COLUMNS * 2;
            int8x16_t columns[4];
            for (int q = 0; q < 4; q++) {
                // columns 4q…4q+3: (k0 k1) of pair, (k2 k3) of pair+1 → [c k0 k1 k2 k3] per column.
                int16x4_t first = vreinterpret_s16_s8(vmovn_s16(vld1q_s16(w + q * 8)));
                int16x4_t second = vreinterpret_s16_s8(vmovn_s16(vld1q_s16(w + CURB_GEMM_COLUMNS * 2 + q * 8)));
                int16x4x2_t zipped = vzip_s16(first, second);
                columns[q] = vreinterpretq_s8_s16(vcombine_s16(zipped.val[0], zipped.val[1]));
            }
            const int16_t *a = panel + (size_t)pair * 8;
            for (int r = 0; r < 4; r++) {
                int8_t quad[4] = {(int8_t)a[r * 2], (int8_t)a[r * 2 + 1], (int8_t)a[8 + r * 2], (int8_t)a[8 + r * 2 + 1]};
                int32_t packed;
                memcpy(&packed, quad, 4);
                int8x16_t row = vreinterpretq_s8_s32(vdupq_n_s32(packed));
                for (int q = 0; q < 4; q++) acc[r][q] = vdotq_s32(acc[r][q], columns[q], row);
            }
        }
    }
#endif
    for (; pair < p->depth_pairs; pair++) {
        const int16_t *w = filter + (size_t)pair * CURB_GEMM_COLUMNS * 2;
        int16x8x2_t b0 = vld2q_s16(w), b1 = vld2q_s16(w + 16);   // .val[0]: even depth, .val[1]: odd depth
        int16x8_t a = vld1q_s16(panel + (size_t)pair * 8);         // r0k0 r0k1 r1k0 r1k1 …
#define CURB_ROW(r)                                                                                         \
        acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(b0.val[0]), a, 2 * r);                       \
        acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(b0.val[1]), a, 2 * r + 1);                   \
        acc[r][1] = vmlal_high_laneq_s16(acc[r][1], b0.val[0], a, 2 * r);                                \
        acc[r][1] = vmlal_high_laneq_s16(acc[r][1], b0.val[1], a, 2 * r + 1);                            \
        acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(b1.val[0]), a, 2 * r);                       \
        acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(b1.val[1]), a, 2 * r + 1);                   \
        acc[r][3] = vmlal_high_laneq_s16(acc[r][3], b1.val[0], a, 2 * r);                                \
        acc[r][3] = vmlal_high_laneq_s16(acc[r][3], b1.val[1], a, 2 * r + 1);
        CURB_ROW(0) CURB_ROW(1) CURB_ROW(2) CURB_ROW(3)
#undef CURB_ROW
    }
    int32_t first_channel = block * CURB_GEMM_COLUMNS;
    int32_t columns = p->output_channels - first_channel;
    if (columns > CURB_GEMM_COLUMNS) columns = CURB_GEMM_COLUMNS;
    const int32x4_t zero_point = vdupq_n_s32(p->output_zero_point);
    const int32x4_t minimum = vdupq_n_s32(p->activation_min), maximum = vdupq_n_s32(p->activation_max);
    for (int32_t r = 0; r < row_count; r++) {
        int32x4_t q[4];
        for (int i = 0; i < 4; i++) {
            int32_t c = first_channel + 4 * i;
            q[i] = requantize4(vaddq_s32(acc[r][i], vld1q_s32(p->channel_offset + c)), vld1q_s32(p->multiplier + c),
                               vld1q_s32(p->left_shift + c), vld1q_s32(p->right_shift + c), zero_point, minimum, maximum);
        }
        int8x16_t bytes = narrow16(q[0], q[1], q[2], q[3]);
        int8_t *out = p->output + (size_t)(first_row + r) * p->output_channels + first_channel;
        if (columns == CURB_GEMM_COLUMNS) {
            vst1q_s8(out, bytes);
        } else {
            int8_t staged[16];
            vst1q_s8(staged, bytes);
            memcpy(out, staged, (size_t)columns);
        }
    }
}

void curb_depthwise_row_neon(const curb_depthwise_params *p, int32_t batch, int32_t out_y) {
    int32_t channels = p->channels, padded = p->padded_channels;
    int32_t origin_y = out_y * p->stride_height - p->padding_top;
    int32_t ky_begin = 0, ky_end = p->kernel_height;
    while (ky_begin < ky_end && origin_y + ky_begin * p->dilation_height < 0) ky_begin++;
    while (ky_end > ky_begin && origin_y + (ky_end - 1) * p->dilation_height >= p->input_height) ky_end--;
    const int16x8_t zero_point_in = vdupq_n_s16((int16_t)p->input_zero_point);
    const int32x4_t zero_point_out = vdupq_n_s32(p->output_zero_point);
    const int32x4_t minimum = vdupq_n_s32(p->activation_min), maximum = vdupq_n_s32(p->activation_max);
    const int8_t *input_batch = p->input + (size_t)batch * p->input_height * p->input_width * channels;
    for (int32_t out_x = 0; out_x < p->output_width; out_x++) {
        int32_t origin_x = out_x * p->stride_width - p->padding_left;
        int32_t kx_begin = 0, kx_end = p->kernel_width;
        while (kx_begin < kx_end && origin_x + kx_begin * p->dilation_width < 0) kx_begin++;
        while (kx_end > kx_begin && origin_x + (kx_end - 1) * p->dilation_width >= p->input_width) kx_end--;
        int8_t *out = p->output + (((size_t)batch * p->output_height + out_y) * p->output_width + out_x) * channels;
        for (int32_t c = 0; c < channels; c += 16) {
            int32_t count = channels - c < 16 ? channels - c : 16;
            int32x4_t acc[4];
            for (int i = 0; i < 4; i++) acc[i] = vld1q_s32(p->bias + c + 4 * i);
            for (int32_t ky = ky_begin; ky < ky_end; ky++) {
                const int8_t *row = input_batch + (size_t)(origin_y + ky * p->dilation_height) * p->input_width * channels;
                for (int32_t kx = kx_begin; kx < kx_end; kx++) {
                    const int8_t *source = row + (size_t)(origin_x + kx * p->dilation_width) * channels + c;
                    int8x16_t bytes;
                    if (count == 16) {
                        bytes = vld1q_s8(source);
                    } else {
                        int8_t staged[16] = {0};
                        memcpy(staged, source, (size_t)count);
                        bytes = vld1q_s8(staged);
                    }
                    // |x − zp| ≤ 255 and |w| ≤ 128: the int16 × int16 products are widened exactly by vmlal.
                    int16x8_t low = vsubq_s16(vmovl_s8(vget_low_s8(bytes)), zero_point_in);
                    int16x8_t high = vsubq_s16(vmovl_high_s8(bytes), zero_point_in);
                    const int16_t *w = p->packed_filter + (size_t)(ky * p->kernel_width + kx) * padded + c;
                    int16x8_t w0 = vld1q_s16(w), w1 = vld1q_s16(w + 8);
                    acc[0] = vmlal_s16(acc[0], vget_low_s16(low), vget_low_s16(w0));
                    acc[1] = vmlal_high_s16(acc[1], low, w0);
                    acc[2] = vmlal_s16(acc[2], vget_low_s16(high), vget_low_s16(w1));
                    acc[3] = vmlal_high_s16(acc[3], high, w1);
                }
            }
            int32x4_t q[4];
            for (int i = 0; i < 4; i++) {
                int32_t j = c + 4 * i;
                q[i] = requantize4(acc[i], vld1q_s32(p->multiplier + j), vld1q_s32(p->left_shift + j),
                                   vld1q_s32(p->right_shift + j), zero_point_out, minimum, maximum);
            }
            int8x16_t bytes = narrow16(q[0], q[1], q[2], q[3]);
            if (count == 16) {
                vst1q_s8(out + c, bytes);
            } else {
                int8_t staged[16];
                vst1q_s8(staged, bytes);
                memcpy(out + c, staged, (size_t)count);
            }
        }
    }
}
/// RDBPOT(SRDHM(x, multiplier), right) on 4 lanes (requantize4 without its left shift, zero point and clamp).
static inline int32x4_t scale4(int32x4_t x, int32x4_t multiplier, int32x4_t negative_shift) {
    int32x4_t high = vqrdmulhq_s32(x, multiplier);
    int32x4_t fixup = vshrq_n_s32(vandq_s32(high, negative_shift), 31);
    return vrshlq_s32(vqaddq_s32(high, fixup), negative_shift);
}

void curb_add_row_neon(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count) {
    const int32x4_t offset1 = vdupq_n_s32(p->input1_offset), offset2 = vdupq_n_s32(p->input2_offset);
    const int32x4_t left = vdupq_n_s32(p->left_shift);
    const int32x4_t multiplier1 = vdupq_n_s32(p->input1_multiplier), right1 = vdupq_n_s32(-p->input1_right_shift);
    const int32x4_t multiplier2 = vdupq_n_s32(p->input2_multiplier), right2 = vdupq_n_s32(-p->input2_right_shift);
    const int32x4_t multiplier = vdupq_n_s32(p->output_multiplier), right = vdupq_n_s32(-p->output_right_shift);
    const int32x4_t zero_point = vdupq_n_s32(p->output_zero_point);
    const int32x4_t minimum = vdupq_n_s32(p->activation_min), maximum = vdupq_n_s32(p->activation_max);
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        int8x16_t x = p->inner_step1 ? vld1q_s8(a + i) : vdupq_n_s8(a[0]);
        int8x16_t y = p->inner_step2 ? vld1q_s8(b + i) : vdupq_n_s8(b[0]);
        int16x8_t x_halves[2] = {vmovl_s8(vget_low_s8(x)), vmovl_s8(vget_high_s8(x))};
        int16x8_t y_halves[2] = {vmovl_s8(vget_low_s8(y)), vmovl_s8(vget_high_s8(y))};
        int32x4_t r[4];
        for (int q = 0; q < 4; q++) {
            int16x4_t xs = q & 1 ? vget_high_s16(x_halves[q / 2]) : vget_low_s16(x_halves[q / 2]);
            int16x4_t ys = q & 1 ? vget_high_s16(y_halves[q / 2]) : vget_low_s16(y_halves[q / 2]);
            int32x4_t sx = scale4(vshlq_s32(vaddq_s32(vmovl_s16(xs), offset1), left), multiplier1, right1);
            int32x4_t sy = scale4(vshlq_s32(vaddq_s32(vmovl_s16(ys), offset2), left), multiplier2, right2);
            int32x4_t sum = vaddq_s32(scale4(vaddq_s32(sx, sy), multiplier, right), zero_point);
            r[q] = vminq_s32(vmaxq_s32(sum, minimum), maximum);
        }
        vst1q_s8(out + i, narrow16(r[0], r[1], r[2], r[3]));
    }
    for (; i < count; i++) out[i] = curb_add_one(p, a[i * p->inner_step1], b[i * p->inner_step2]);
}
#endif

// AVX2 depthwise row: 16 channels per step, (x − zp) · w exact in int16 (|x − zp| ≤ 255, |w| ≤ 128), widened
// to int32 accumulators that start at the bias (the reference adds the bias last; int32 addition wraps, so the
// order does not change the bits).
#if defined(__x86_64__)
#include "internal.h"
#include <immintrin.h>
#include <string.h>
#include "requantize_avx2.h"

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

/// Channels c…c+15's accumulators requantized to 16 bytes: the one-rounding form where prepare proved it exact.
static inline __m128i requantize_channels(const curb_depthwise_params *p, __m256i low, __m256i high, int32_t c,
                                          __m256i zero_point_out, __m256i minimum, __m256i maximum) {
    __m256i r0, r1;
    if (p->magnitude) {
        const curb_magnitude_rounding *values = p->magnitude + c / 16;
        r0 = _mm256_min_epi32(_mm256_max_epi32(scale8_magnitude(low, values, 0, zero_point_out), minimum), maximum);
        r1 = _mm256_min_epi32(_mm256_max_epi32(scale8_magnitude(high, values, 1, zero_point_out), minimum), maximum);
    } else {
        r0 = requantize8(low, _mm256_load_si256((const __m256i *)(p->multiplier + c)),
                         _mm256_load_si256((const __m256i *)(p->left_shift + c)),
                         _mm256_load_si256((const __m256i *)(p->right_shift + c)), zero_point_out, minimum, maximum);
        r1 = requantize8(high, _mm256_load_si256((const __m256i *)(p->multiplier + c + 8)),
                         _mm256_load_si256((const __m256i *)(p->left_shift + c + 8)),
                         _mm256_load_si256((const __m256i *)(p->right_shift + c + 8)), zero_point_out, minimum, maximum);
    }
    return narrow16(r0, r1);
}

/// One output pixel whose taps are all inside the input: raw int8 inputs of two taps interleaved bytewise,
/// widened, and multiplied-and-summed in pairs with `vpmaddwd` (|x·w| ≤ 2^14: no saturation), the zero point's
/// share already in `full_bias`.
static inline void full_pixel(const curb_depthwise_params *p, const int8_t *input_batch, int32_t origin_y,
                              int32_t origin_x, const ptrdiff_t *offsets, int32_t first_channel, int8_t *out,
                              __m256i zero_point_out, __m256i minimum, __m256i maximum) {
    int32_t channels = p->channels, padded = p->padded_channels, taps = p->kernel_height * p->kernel_width;
    size_t row_stride = (size_t)p->input_width * channels;
    const int8_t *origin = input_batch + (size_t)origin_y * row_stride + (size_t)origin_x * channels;
    for (int32_t c = first_channel; c < channels; c += 16) {
        int32_t count = channels - c < 16 ? channels - c : 16;
        __m256i low = _mm256_load_si256((const __m256i *)(p->full_bias + c));
        __m256i high = _mm256_load_si256((const __m256i *)(p->full_bias + c + 8));
        const int16_t *weights = p->pair_filter + (size_t)c * 2;
        for (int32_t pair = 0; pair < p->tap_pairs; pair++) {
            __m128i first, second = _mm_setzero_si128();
            if (count == 16) {
                first = _mm_loadu_si128((const __m128i *)(origin + offsets[2 * pair] + c));
                if (2 * pair + 1 < taps) second = _mm_loadu_si128((const __m128i *)(origin + offsets[2 * pair + 1] + c));
            } else {
                int8_t staged[2][16] = {{0}};
                memcpy(staged[0], origin + offsets[2 * pair] + c, (size_t)count);
                if (2 * pair + 1 < taps) memcpy(staged[1], origin + offsets[2 * pair + 1] + c, (size_t)count);
                first = _mm_loadu_si128((const __m128i *)staged[0]);
                second = _mm_loadu_si128((const __m128i *)staged[1]);
            }
            const __m256i *w = (const __m256i *)(weights + (size_t)pair * padded * 2);
            low = _mm256_add_epi32(low, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_unpacklo_epi8(first, second)),
                                                          _mm256_load_si256(w)));
            high = _mm256_add_epi32(high, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_unpackhi_epi8(first, second)),
                                                            _mm256_load_si256(w + 1)));
        }
        __m128i bytes = requantize_channels(p, low, high, c, zero_point_out, minimum, maximum);
        if (count == 16) {
            _mm_storeu_si128((__m128i *)(out + c), bytes);
        } else {
            int8_t staged[16];
            _mm_storeu_si128((__m128i *)staged, bytes);
            memcpy(out + c, staged, (size_t)count);
        }
    }
}

void curb_depthwise_row_avx2(const curb_depthwise_params *p, int32_t batch, int32_t out_y, int32_t first_channel) {
    int32_t channels = p->channels, padded = p->padded_channels;
    int32_t origin_y = out_y * p->stride_height - p->padding_top;
    int32_t ky_begin = 0, ky_end = p->kernel_height;
    while (ky_begin < ky_end && origin_y + ky_begin * p->dilation_height < 0) ky_begin++;
    while (ky_end > ky_begin && origin_y + (ky_end - 1) * p->dilation_height >= p->input_height) ky_end--;
    const __m256i zero_point_in = _mm256_set1_epi16((int16_t)p->input_zero_point);
    const int8_t *input_batch = p->input + (size_t)batch * p->input_height * p->input_width * channels;
    const __m256i zero_point_out = _mm256_set1_epi32(p->output_zero_point);
    const __m256i minimum = _mm256_set1_epi32(p->activation_min), maximum = _mm256_set1_epi32(p->activation_max);
    int full_rows = ky_begin == 0 && ky_end == p->kernel_height && p->kernel_height * p->kernel_width <= 64;
    // Offsets of the taps from a pixel's origin, in tap order (at most 64 taps take the full-pixel path).
    ptrdiff_t offsets[64];
    if (full_rows) {
        for (int32_t tap = 0; tap < p->kernel_height * p->kernel_width; tap++) {
            int32_t ky = tap / p->kernel_width, kx = tap % p->kernel_width;
            offsets[tap] = (ptrdiff_t)(ky * p->dilation_height) * (ptrdiff_t)p->input_width * channels
                         + (ptrdiff_t)(kx * p->dilation_width) * channels;
        }
    }
    for (int32_t out_x = 0; out_x < p->output_width; out_x++) {
        int32_t origin_x = out_x * p->stride_width - p->padding_left;
        int32_t kx_begin = 0, kx_end = p->kernel_width;
        while (kx_begin < kx_end && origin_x + kx_begin * p->dilation_width < 0) kx_begin++;
        while (kx_end > kx_begin && origin_x + (kx_end - 1) * p->dilation_width >= p->input_width) kx_end--;
        int8_t *out = p->output + (((size_t)batch * p->output_height + out_y) * p->output_width + out_x) * channels;
        if (full_rows && kx_begin == 0 && kx_end == p->kernel_width) {
            full_pixel(p, input_batch, origin_y, origin_x, offsets, first_channel, out, zero_point_out, minimum, maximum);
            continue;
        }
        for (int32_t c = first_channel; c < channels; c += 16) {
            int32_t count = channels - c < 16 ? channels - c : 16;
            __m256i low = _mm256_load_si256((const __m256i *)(p->bias + c));
            __m256i high = _mm256_load_si256((const __m256i *)(p->bias + c + 8));
            for (int32_t ky = ky_begin; ky < ky_end; ky++) {
                const int8_t *row = input_batch + (size_t)(origin_y + ky * p->dilation_height) * p->input_width * channels;
                for (int32_t kx = kx_begin; kx < kx_end; kx++) {
                    const int8_t *source = row + (size_t)(origin_x + kx * p->dilation_width) * channels + c;
                    __m128i bytes;
                    if (count == 16) {
                        bytes = _mm_loadu_si128((const __m128i *)source);
                    } else {
                        int8_t staged[16] = {0};
                        memcpy(staged, source, (size_t)count);
                        bytes = _mm_loadu_si128((const __m128i *)staged);
                    }
                    __m256i x = _mm256_sub_epi16(_mm256_cvtepi8_epi16(bytes), zero_point_in);
                    __m256i w = _mm256_load_si256(
                        (const __m256i *)(p->packed_filter + (size_t)(ky * p->kernel_width + kx) * padded + c));
                    __m256i product = _mm256_mullo_epi16(x, w);
                    low = _mm256_add_epi32(low, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(product)));
                    high = _mm256_add_epi32(high, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(product, 1)));
                }
            }
            __m128i bytes = requantize_channels(p, low, high, c, zero_point_out, minimum, maximum);
            if (count == 16) {
                _mm_storeu_si128((__m128i *)(out + c), bytes);
            } else {
                int8_t staged[16];
                _mm_storeu_si128((__m128i *)staged, bytes);
                memcpy(out + c, staged, (size_t)count);
            }
        }
    }
}

#pragma clang attribute pop
#endif

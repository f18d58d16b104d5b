// Every x86-64 kernel this CPU can run against the portable C kernels on random shapes, with the kernels built
// under AddressSanitizer and UndefinedBehaviorSanitizer (see KernelSanitizerTests.swift): tensors live in
// exact-size heap blocks, so any byte a masked load, a gather or a tail reads or writes outside them is reported,
// and so is any undefined shift or overflow. Prints "N cases, M mismatches"; exits non-zero on a mismatch.
//   kernels_check ITERATIONS
#include "curb_kernels.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 88172645463325252ULL;
static unsigned long long next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static int range(int low, int high) { return low + (int)(next() % (unsigned long long)(high - low + 1)); }

static void requantization(int count, int32_t *multiplier, int32_t *shift) {
    int right_only = range(0, 1);   // half the layers take the kernels' paths without left shifts
    for (int i = 0; i < count; i++) {
        multiplier[i] = (1 << 30) + (int32_t)(next() % (1u << 30));
        shift[i] = right_only ? -range(0, 12) : range(-12, 2);
    }
}

static void activation(int32_t *minimum, int32_t *maximum) {
    int full = range(0, 1);
    *minimum = full ? -128 : range(-128, 0);
    *maximum = full ? 127 : range(0, 127);
}

static int8_t *bytes(size_t count) {
    int8_t *block = malloc(count ? count : 1);
    for (size_t i = 0; i < count; i++) block[i] = (int8_t)next();
    return block;
}

static void *scratch(size_t size) { return aligned_alloc(64, (size + 63) / 64 * 64 + 64); }

/// A random window geometry both convolutions use; output extents below 1 mean the case is skipped.
typedef struct geometry {
    int batches, input_height, input_width, kernel_height, kernel_width, stride_height, stride_width;
    int dilation_height, dilation_width, padding_top, padding_left, output_height, output_width;
} geometry;

static geometry random_geometry(int largest_kernel, int largest_padding) {
    geometry g;
    g.batches = range(1, 2); g.input_height = range(1, 12); g.input_width = range(1, 12);
    g.kernel_height = range(1, largest_kernel); g.kernel_width = range(1, largest_kernel);
    g.stride_height = range(1, 3); g.stride_width = range(1, 3);
    g.dilation_height = range(1, 2); g.dilation_width = range(1, 2);
    g.padding_top = range(0, largest_padding); g.padding_left = range(0, largest_padding);
    int bottom = range(0, largest_padding), right = range(0, largest_padding);
    g.output_height = (g.input_height + g.padding_top + bottom - g.dilation_height * (g.kernel_height - 1) - 1)
                    / g.stride_height + 1;
    g.output_width = (g.input_width + g.padding_left + right - g.dilation_width * (g.kernel_width - 1) - 1)
                   / g.stride_width + 1;
    return g;
}

/// Copies a geometry into either parameter block (the fields have the same names).
#define SET_GEOMETRY(p, g) do { \
    (p).batches = (g).batches; (p).input_height = (g).input_height; (p).input_width = (g).input_width; \
    (p).kernel_height = (g).kernel_height; (p).kernel_width = (g).kernel_width; \
    (p).stride_height = (g).stride_height; (p).stride_width = (g).stride_width; \
    (p).dilation_height = (g).dilation_height; (p).dilation_width = (g).dilation_width; \
    (p).padding_top = (g).padding_top; (p).padding_left = (g).padding_left; \
    (p).output_height = (g).output_height; (p).output_width = (g).output_width; \
} while (0)

static int convolution(int isa) {
    curb_conv_params base;
    memset(&base, 0, sizeof base);
    geometry g = random_geometry(4, 2);
    if (g.output_height < 1 || g.output_width < 1) return 0;
    SET_GEOMETRY(base, g);
    base.input_channels = range(1, 40);
    base.output_channels = range(1, 70);
    base.input_zero_point = range(-128, 127); base.output_zero_point = range(-128, 127);
    activation(&base.activation_min, &base.activation_max);
    int depth = base.kernel_height * base.kernel_width * base.input_channels;
    size_t inputs = (size_t)base.batches * base.input_height * base.input_width * base.input_channels;
    size_t outputs = (size_t)base.batches * base.output_height * base.output_width * base.output_channels;
    int8_t *input = bytes(inputs), *filter = bytes((size_t)depth * base.output_channels);
    int8_t *expected = malloc(outputs), *actual = malloc(outputs);
    int32_t *bias = malloc(4 * (size_t)base.output_channels), *multiplier = malloc(4 * (size_t)base.output_channels);
    int32_t *shift = malloc(4 * (size_t)base.output_channels);
    for (int i = 0; i < base.output_channels; i++) bias[i] = range(-50000, 50000);
    requantization(base.output_channels, multiplier, shift);
    int threads = range(1, 3);
    for (int pass = 0; pass < 2; pass++) {
        curb_conv_params p = base;
        p.input = input; p.output = pass ? actual : expected; p.isa = pass ? isa : CURB_ISA_PORTABLE;
        void *memory = scratch(curb_conv_scratch_bytes(p.isa, p.output_channels, p.kernel_height, p.kernel_width,
                                                       p.input_channels, threads));
        curb_conv_prepare(&p, filter, bias, multiplier, shift, threads, memory);
        curb_pool *pool = curb_pool_create(threads);
        curb_conv_run(&p, pool);
        curb_pool_destroy(pool);
        free(memory);
    }
    int mismatch = memcmp(expected, actual, outputs) != 0;
    free(input); free(filter); free(expected); free(actual); free(bias); free(multiplier); free(shift);
    return mismatch;
}

static int depthwise(int isa) {
    curb_depthwise_params base;
    memset(&base, 0, sizeof base);
    geometry g = random_geometry(5, 3);
    if (g.output_height < 1 || g.output_width < 1) return 0;
    SET_GEOMETRY(base, g);
    base.channels = range(1, 80);
    base.input_zero_point = range(-128, 127); base.output_zero_point = range(-128, 127);
    activation(&base.activation_min, &base.activation_max);
    int taps = base.kernel_height * base.kernel_width;
    size_t inputs = (size_t)base.batches * base.input_height * base.input_width * base.channels;
    size_t outputs = (size_t)base.batches * base.output_height * base.output_width * base.channels;
    int8_t *input = bytes(inputs), *filter = bytes((size_t)taps * base.channels);
    int8_t *expected = malloc(outputs), *actual = malloc(outputs);
    int32_t *bias = malloc(4 * (size_t)base.channels), *multiplier = malloc(4 * (size_t)base.channels);
    int32_t *shift = malloc(4 * (size_t)base.channels);
    for (int i = 0; i < base.channels; i++) bias[i] = range(-50000, 50000);
    requantization(base.channels, multiplier, shift);
    int threads = range(1, 3);
    for (int pass = 0; pass < 2; pass++) {
        curb_depthwise_params p = base;
        p.input = input; p.output = pass ? actual : expected; p.isa = pass ? isa : CURB_ISA_PORTABLE;
        void *memory = scratch(curb_depthwise_scratch_bytes(p.isa, p.channels, taps));
        curb_depthwise_prepare(&p, filter, bias, multiplier, shift, memory);
        curb_pool *pool = curb_pool_create(threads);
        curb_depthwise_run(&p, pool);
        curb_pool_destroy(pool);
        free(memory);
    }
    int mismatch = memcmp(expected, actual, outputs) != 0;
    free(input); free(filter); free(expected); free(actual); free(bias); free(multiplier); free(shift);
    return mismatch;
}

static int add(int isa) {
    curb_add_params p;
    memset(&p, 0, sizeof p);
    int64_t count = range(1, 300);
    p.count = count; p.inner = count; p.inner_step1 = 1; p.inner_step2 = 1;
    p.input1_offset = -range(-128, 127); p.input2_offset = -range(-128, 127);
    p.left_shift = range(0, 20);
    p.input1_multiplier = (int32_t)(next() % 0x7FFFFFFFu); p.input1_right_shift = range(0, 31);
    p.input2_multiplier = (int32_t)(next() % 0x7FFFFFFFu); p.input2_right_shift = range(0, 31);
    p.output_multiplier = (int32_t)(next() % 0x7FFFFFFFu); p.output_right_shift = range(0, 31);
    p.output_zero_point = range(-128, 127);
    activation(&p.activation_min, &p.activation_max);
    int8_t *a = bytes((size_t)count), *b = bytes((size_t)count), *expected = malloc((size_t)count), *actual = malloc((size_t)count);
    p.input1 = a; p.input2 = b;
    p.output = expected; p.isa = CURB_ISA_PORTABLE;
    curb_add_run_range(&p, 0, count);
    p.output = actual; p.isa = isa;
    curb_add_run_range(&p, 0, count);
    int mismatch = memcmp(expected, actual, (size_t)count) != 0;
    free(a); free(b); free(expected); free(actual);
    return mismatch;
}

/// TFLite's two-step MultiplyByQuantizedMultiplier without left shift, literally (gemmlowp's nudge, truncation).
static int32_t two_step(int32_t x, int32_t multiplier, int32_t e) {
    int64_t product = (int64_t)x * multiplier;
    int64_t nudge = product >= 0 ? (INT64_C(1) << 30) : (1 - (INT64_C(1) << 30));
    int32_t high = (int32_t)((product + nudge) / (INT64_C(1) << 31));
    int32_t mask = (int32_t)((INT64_C(1) << e) - 1), remainder = high & mask, threshold = (mask >> 1) + (high < 0);
    return (high >> e) + (remainder > threshold);
}

/// The vector kernels' one-rounding form by magnitude (scale16_magnitude's arithmetic, scalar).
static int32_t by_magnitude(int32_t x, int32_t multiplier, int32_t e) {
    uint64_t magnitude = x < 0 ? (uint64_t)(-(int64_t)x) : (uint64_t)x;
    uint64_t rounding = (UINT64_C(1) << 31) + (e > 0 ? (UINT64_C(1) << (31 + e)) : 0);
    uint64_t quotient = (magnitude * (uint64_t)(2u * (uint32_t)multiplier) + rounding) >> (32 + e);
    return x < 0 ? -(int32_t)quotient : (int32_t)quotient;
}

/// curb_magnitude_rounding_exact's limit against brute force: for random multipliers (with 0–21 trailing zero
/// bits) and right shifts, every negative accumulator below the limit that could be a tie (a multiple of
/// 2^(30−v)) gives the two-step result, and the limit itself is a tie (the bound is tight, so the derivation of t0
/// holds). Returns the number of failures; adds the accumulators checked to `checked`.
static int rounding_limits(int trials, long *checked) {
    int failures = 0;
    for (int trial = 0; trial < trials; trial++) {
        int32_t e = range(0, 13), zeros = range(0, 21);
        int32_t multiplier = (int32_t)((((uint32_t)next() | 1u) & 0x7FFFFFFFu) >> zeros << zeros);
        if (multiplier < (1 << 29) || !curb_magnitude_rounding_exact(0, multiplier, e)) continue;
        int64_t limit = 0, high = INT64_C(1) << 30;
        while (limit < high) {   // the largest bound the check accepts
            int64_t middle = (limit + high + 1) / 2;
            if (curb_magnitude_rounding_exact(middle, multiplier, e)) limit = middle; else high = middle - 1;
        }
        int64_t step = INT64_C(1) << (30 - __builtin_ctz((uint32_t)multiplier));
        for (int64_t t = 1; t * step <= limit && t < 4000; t += 2) {
            int32_t x = (int32_t)-(t * step);
            *checked += 1;
            failures += by_magnitude(x, multiplier, e) != two_step(x, multiplier, e);
        }
        if (limit + 1 < (INT64_C(1) << 30)) {
            int32_t x = (int32_t)-(limit + 1);
            failures += by_magnitude(x, multiplier, e) == two_step(x, multiplier, e);
        }
    }
    return failures;
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 1000;
    const int isas[] = {CURB_ISA_AVX2, CURB_ISA_AVX2_VNNI, CURB_ISA_AVX512_VNNI};
    int cases = 0, mismatches = 0;
    for (int iteration = 0; iteration < iterations; iteration++) {
        for (int k = 0; k < 3; k++) {
            if (!curb_isa_available(isas[k])) continue;
            int found = convolution(isas[k]) + depthwise(isas[k]) + add(isas[k]);
            if (found) printf("mismatch: iteration %d, instruction set %d\n", iteration, isas[k]);
            mismatches += found;
            cases += 3;
        }
    }
    long ties = 0;
    int rounding = rounding_limits(iterations, &ties);
    if (rounding) printf("one-rounding limits: %d failures over %ld tie candidates\n", rounding, ties);
    mismatches += rounding;
    printf("%d cases and %ld tie candidates, %d mismatches\n", cases, ties, mismatches);
    return mismatches != 0;
}

// Cross-compiled for aarch64 and run under qemu by NEONKernelTests: every NEON kernel (vmlal, and sdot when
// built with the dot-product extension) must give the portable C kernel's bits on random inputs, shapes,
// zero points and multipliers (extreme ones included), on 1, 2 and 3 threads.
#include "curb_kernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x1234567;
static uint64_t next(void) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int32_t range(int32_t low, int32_t high) { return low + (int32_t)(next() % (uint64_t)(high - low + 1)); }

static void random_requantization(int32_t count, int32_t *multiplier, int32_t *shift) {
    for (int32_t i = 0; i < count; i++) {
        switch (range(0, 9)) {
        case 0: multiplier[i] = INT32_MAX; shift[i] = range(-31, 30); break;
        case 1: multiplier[i] = (int32_t[]){0, 1, INT32_MAX}[range(0, 2)]; shift[i] = (int32_t[]){30, -31, 0}[range(0, 2)]; break;
        case 2: multiplier[i] = (int32_t)(next() & 0x7FFFFFFF); shift[i] = range(-31, 30); break;
        default: multiplier[i] = (int32_t)(0x40000000u + (next() % 0x40000000u)); shift[i] = range(-14, 1); break;
        }
    }
}

static void *scratch_alloc(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
    memset(p, 0xA5, bytes);
    return p;
}

static int check_conv(int isa, int iteration) {
    curb_conv_params base = {0};
    base.batches = range(1, 2);
    base.input_height = range(1, 9); base.input_width = range(1, 9);
    int odd[] = {1, 3, 5, 7, 13, 17, 33};
    base.input_channels = range(0, 2) == 0 ? odd[range(0, 6)] : range(1, 40);
    base.output_channels = range(0, 2) == 0 ? odd[range(0, 6)] : range(1, 70);
    base.kernel_height = range(1, 4); base.kernel_width = range(1, 4);
    base.stride_height = range(1, 3); base.stride_width = range(1, 3);
    base.dilation_height = range(1, 2); base.dilation_width = range(1, 2);
    base.padding_top = range(0, 2); base.padding_left = range(0, 2);
    int32_t bottom = range(0, 2), right = range(0, 2);
    if (iteration % 4 == 0) {   // pointwise
        base.kernel_height = base.kernel_width = base.stride_height = base.stride_width = 1;
        base.padding_top = base.padding_left = bottom = right = 0;
    }
    base.output_height = (base.input_height + base.padding_top + bottom - base.dilation_height * (base.kernel_height - 1) - 1) / base.stride_height + 1;
    base.output_width = (base.input_width + base.padding_left + right - base.dilation_width * (base.kernel_width - 1) - 1) / base.stride_width + 1;
    if (base.output_height < 1 || base.output_width < 1) return 0;
    base.input_zero_point = range(-128, 127);
    base.output_zero_point = range(-128, 127);
    base.activation_min = range(-128, 127);
    base.activation_max = range(base.activation_min, 127);
    if (range(0, 1)) { base.activation_min = -128; base.activation_max = 127; }
    int32_t depth = base.kernel_height * base.kernel_width * base.input_channels;
    size_t input_count = (size_t)base.batches * base.input_height * base.input_width * base.input_channels;
    size_t output_count = (size_t)base.batches * base.output_height * base.output_width * base.output_channels;
    int8_t *input = malloc(input_count), *filter = malloc((size_t)base.output_channels * depth);
    int32_t *bias = malloc(sizeof(int32_t) * base.output_channels);
    int32_t *multiplier = malloc(sizeof(int32_t) * base.output_channels), *shift = malloc(sizeof(int32_t) * base.output_channels);
    for (size_t i = 0; i < input_count; i++) input[i] = (int8_t)next();
    for (size_t i = 0; i < (size_t)base.output_channels * depth; i++) filter[i] = (int8_t)next();
    for (int32_t i = 0; i < base.output_channels; i++) bias[i] = range(0, 7) == 0 ? (int32_t)next() : range(-50000, 50000);
    random_requantization(base.output_channels, multiplier, shift);
    int8_t *expected = malloc(output_count), *actual = malloc(output_count);
    int threads = 1 + iteration % 3;
    curb_pool *pool = curb_pool_create(threads);
    int failures = 0;
    for (int pass = 0; pass < 2; pass++) {
        curb_conv_params p = base;
        p.input = input;
        p.output = pass == 0 ? expected : actual;
        p.isa = pass == 0 ? CURB_ISA_PORTABLE : isa;
        void *scratch = scratch_alloc(curb_conv_scratch_bytes(p.isa, p.output_channels, p.kernel_height, p.kernel_width, p.input_channels, threads));
        curb_conv_prepare(&p, filter, iteration % 5 == 0 ? NULL : bias, multiplier, shift, threads, scratch);
        curb_conv_run(&p, pool);
        free(scratch);
    }
    if (memcmp(expected, actual, output_count) != 0) {
        printf("conv mismatch (isa %d, case %d: in %dx%dx%d c%d → %d, k %dx%d s %d,%d d %d,%d, threads %d)\n", isa, iteration,
               base.input_height, base.input_width, base.input_channels, base.batches, base.output_channels,
               base.kernel_height, base.kernel_width, base.stride_height, base.stride_width, base.dilation_height,
               base.dilation_width, threads);
        failures = 1;
    }
    curb_pool_destroy(pool);
    free(input); free(filter); free(bias); free(multiplier); free(shift); free(expected); free(actual);
    return failures;
}

static int check_depthwise(int isa, int iteration) {
    curb_depthwise_params base = {0};
    int odd[] = {1, 3, 5, 7, 13, 17, 33, 16, 48};
    base.batches = range(1, 2);
    base.channels = range(0, 1) ? odd[range(0, 8)] : range(1, 70);
    base.input_height = range(1, 10); base.input_width = range(1, 10);
    base.kernel_height = range(1, 5); base.kernel_width = range(1, 5);
    if (iteration % 3 == 0) base.kernel_height = base.kernel_width = 3;
    base.stride_height = range(1, 3); base.stride_width = range(1, 3);
    base.dilation_height = range(1, 3); base.dilation_width = range(1, 3);
    base.padding_top = range(0, 3); base.padding_left = range(0, 3);
    int32_t bottom = range(0, 3), right = range(0, 3);
    base.output_height = (base.input_height + base.padding_top + bottom - base.dilation_height * (base.kernel_height - 1) - 1) / base.stride_height + 1;
    base.output_width = (base.input_width + base.padding_left + right - base.dilation_width * (base.kernel_width - 1) - 1) / base.stride_width + 1;
    if (base.output_height < 1 || base.output_width < 1) return 0;
    base.input_zero_point = range(-128, 127);
    base.output_zero_point = range(-128, 127);
    base.activation_min = -128; base.activation_max = 127;
    if (range(0, 1)) { base.activation_min = range(-128, 127); base.activation_max = range(base.activation_min, 127); }
    int32_t taps = base.kernel_height * base.kernel_width;
    size_t input_count = (size_t)base.batches * base.input_height * base.input_width * base.channels;
    size_t output_count = (size_t)base.batches * base.output_height * base.output_width * base.channels;
    int8_t *input = malloc(input_count), *filter = malloc((size_t)taps * base.channels);
    int32_t *bias = malloc(sizeof(int32_t) * base.channels);
    int32_t *multiplier = malloc(sizeof(int32_t) * base.channels), *shift = malloc(sizeof(int32_t) * base.channels);
    for (size_t i = 0; i < input_count; i++) input[i] = (int8_t)next();
    for (size_t i = 0; i < (size_t)taps * base.channels; i++) filter[i] = (int8_t)next();
    for (int32_t i = 0; i < base.channels; i++) bias[i] = range(0, 7) == 0 ? (int32_t)next() : range(-50000, 50000);
    random_requantization(base.channels, multiplier, shift);
    int8_t *expected = malloc(output_count), *actual = malloc(output_count);
    int threads = 1 + iteration % 3;
    curb_pool *pool = curb_pool_create(threads);
    for (int pass = 0; pass < 2; pass++) {
        curb_depthwise_params p = base;
        p.input = input;
        p.output = pass == 0 ? expected : actual;
        p.isa = pass == 0 ? CURB_ISA_PORTABLE : isa;
        void *scratch = scratch_alloc(curb_depthwise_scratch_bytes(p.isa, p.channels, taps));
        curb_depthwise_prepare(&p, filter, iteration % 4 == 0 ? NULL : bias, multiplier, shift, scratch);
        curb_depthwise_run(&p, pool);
        free(scratch);
    }
    int failures = memcmp(expected, actual, output_count) != 0;
    if (failures) printf("depthwise mismatch (isa %d, case %d, channels %d)\n", isa, iteration, base.channels);
    curb_pool_destroy(pool);
    free(input); free(filter); free(bias); free(multiplier); free(shift); free(expected); free(actual);
    return failures;
}

static int check_requantize(int isa) {
    enum { N = 4099 };
    static int32_t acc[N], offset[N], multiplier[N], left[N], right[N], shift[N];
    static int8_t expected[N], actual[N];
    random_requantization(N, multiplier, shift);
    for (int i = 0; i < N; i++) {
        acc[i] = (int32_t)next();
        if (i % 7 == 0) acc[i] = (int32_t[]){INT32_MIN, INT32_MAX, 0, -1, 1}[i % 5];
        offset[i] = range(0, 3) == 0 ? (int32_t)next() : 0;
        left[i] = shift[i] > 0 ? shift[i] : 0;
        right[i] = shift[i] > 0 ? 0 : -shift[i];
    }
    curb_requantize_row(CURB_ISA_PORTABLE, acc, offset, multiplier, left, right, N, 3, -128, 127, expected);
    curb_requantize_row(isa, acc, offset, multiplier, left, right, N, 3, -128, 127, actual);
    int failures = memcmp(expected, actual, N) != 0;
    if (failures) printf("requantize mismatch (isa %d)\n", isa);
    return failures;
}

/// ADD: random lengths (not multiples of 16 too), broadcast forms, zero points, multipliers and shifts.
static int check_add(int isa, int iteration) {
    curb_add_params base = {0};
    int64_t inner = range(1, 70), rows = range(1, 5);
    int form = iteration % 4;   // 0 elementwise, 1 input 2 per-channel, 2 input 1 per-channel, 3 input 2 scalar
    base.count = inner * rows;
    base.inner = form == 0 ? base.count : inner;
    base.outer_step1 = form == 2 ? 0 : base.inner;
    base.outer_step2 = form == 1 || form == 3 ? 0 : base.inner;
    base.inner_step1 = 1;
    base.inner_step2 = form == 3 ? 0 : 1;
    base.input1_offset = -range(-128, 127); base.input2_offset = -range(-128, 127);
    base.left_shift = range(0, 1) ? 20 : range(0, 20);
    int32_t multipliers[3], shifts[3];
    random_requantization(3, multipliers, shifts);
    base.input1_multiplier = multipliers[0]; base.input1_right_shift = shifts[0] < 0 ? -shifts[0] : 0;
    base.input2_multiplier = multipliers[1]; base.input2_right_shift = shifts[1] < 0 ? -shifts[1] : 0;
    base.output_multiplier = multipliers[2]; base.output_right_shift = shifts[2] < 0 ? -shifts[2] : 0;
    base.output_zero_point = range(-128, 127);
    base.activation_min = range(-128, 127);
    base.activation_max = range(base.activation_min, 127);
    int8_t *a = malloc((size_t)base.count), *b = malloc((size_t)base.count);
    int8_t *expected = malloc((size_t)base.count), *actual = malloc((size_t)base.count);
    for (int64_t i = 0; i < base.count; i++) { a[i] = (int8_t)next(); b[i] = (int8_t)next(); }
    base.input1 = a; base.input2 = b;
    curb_add_params portable = base, vector = base;
    portable.isa = CURB_ISA_PORTABLE; portable.output = expected;
    vector.isa = isa; vector.output = actual;
    curb_add_run_range(&portable, 0, base.count);
    curb_add_run_range(&vector, 0, base.count);
    int failed = memcmp(expected, actual, (size_t)base.count) != 0;
    if (failed) printf("add mismatch: isa %d iteration %d count %lld form %d\n", isa, iteration, (long long)base.count, form);
    free(a); free(b); free(expected); free(actual);
    return failed;
}

int main(void) {
    int isas[2] = {CURB_ISA_NEON, CURB_ISA_NEON_DOT};
    int failures = 0, checked = 0;
    for (int i = 0; i < 2; i++) {
        int isa = isas[i];
        if (!curb_isa_available(isa)) {
            printf("note: isa %d not available in this build/CPU\n", isa);
            if (isa == CURB_ISA_NEON) failures++;
            continue;
        }
        failures += check_requantize(isa);
        for (int iteration = 0; iteration < 300; iteration++) {
            failures += check_conv(isa, iteration);
            failures += check_depthwise(isa, iteration);
            failures += check_add(isa, iteration);
        }
        checked++;
        printf("isa %d: checked\n", isa);
    }
    printf("best isa %d; %d instruction sets checked; %d failures\n", curb_best_isa(), checked, failures);
    return failures == 0 ? 0 : 1;
}

#ifndef CURB_KERNELS_H
#define CURB_KERNELS_H
// Curbside's int8 micro-kernels. Every kernel has a portable C version (the reference the SIMD versions are
// tested against, bit for bit) and, where the CPU has them, AVX2 (x86-64) and NEON (aarch64) versions chosen
// at run time. All arithmetic is TFLite's: int32 accumulators that wrap, MultiplyByQuantizedMultiplier with
// double rounding, per-channel requantization.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets a kernel can be run with.
enum {
    CURB_ISA_PORTABLE = 0,
    CURB_ISA_AVX2 = 1,
    CURB_ISA_NEON = 2,
    CURB_ISA_NEON_DOT = 3,
    /// AVX2 plus AVX-VNNI: the GEMM multiplies int8 by int8 four at a time with `vpdpbusd` (exact: the input is
    /// biased to uint8 by +128 and 128 · Σ w leaves the accumulator with the zero point's share); the other
    /// kernels run their AVX2 versions.
    CURB_ISA_AVX2_VNNI = 4,
    /// AVX-512 F, BW, VL and VNNI: the GEMM's `vpdpbusd` on 512-bit vectors (8 rows × 2 channel blocks per step,
    /// kernel rows padded to whole quads and gathered straight from the input), the depthwise convolution on
    /// 32-channel blocks with `vpdpwssd`, ADD and the requantizations on 16 lanes; the rest as AVX2.
    CURB_ISA_AVX512_VNNI = 5,
};

/// The best instruction set this CPU supports (checked once, at run time).
int curb_best_isa(void);
/// 1 when this CPU (and this build) can run `isa`.
int curb_isa_available(int isa);
/// Online processors (the default thread count).
int curb_processor_count(void);

// ---------------------------------------------------------------------------------------------------------------
// Thread pool: a persistent set of workers; the caller is worker 0. Workers spin briefly after each job, then
// park on a futex, so an idle interpreter burns no CPU.

typedef struct curb_pool curb_pool;
/// A pool of `threads` (≥ 1) workers, `threads − 1` of them new threads. NULL if a thread cannot be created.
curb_pool *curb_pool_create(int threads);
void curb_pool_destroy(curb_pool *pool);
int curb_pool_threads(const curb_pool *pool);
/// CPU time used so far by the worker threads (not the caller): how the tests check that an idle pool sleeps.
int64_t curb_pool_worker_cpu_nanoseconds(const curb_pool *pool);
/// Runs `task(context, chunk, chunks, thread)` once for every chunk in 0..<chunks and returns when all are done.
/// Threads (the caller is thread 0) take chunks as they come, so a worker the OS is slow to schedule delays
/// nothing; `thread` (< the pool's thread count) selects per-thread scratch. Results must not depend on which
/// thread runs a chunk.
void curb_pool_run(curb_pool *pool, void (*task)(void *context, int chunk, int chunks, int thread), void *context,
                   int chunks);

// ---------------------------------------------------------------------------------------------------------------
// Convolution as GEMM (also 1x1 convolutions and fully connected layers): output pixels × output channels,
// depth = kernel_height · kernel_width · input_channels. Weights are packed at load (int16 pairs; int8 quads for
// VNNI); activations are gathered per block of 4 output pixels (im2col of 4 rows at a time) into a per-thread
// panel. Exact for every input: products of sign-extended int8 summed in pairs (`vpmaddwd`) never saturate, nor
// do VNNI's uint8 × int8 quads.

enum { CURB_GEMM_ROWS = 4, CURB_GEMM_COLUMNS = 16 };

/// The AVX-512 one-rounding requantization's values for 16 lanes (internal.h).
struct curb_magnitude_rounding;

typedef struct curb_conv_params {
    const int8_t *input;
    int8_t *output;
    int32_t batches, input_height, input_width, input_channels;
    int32_t kernel_height, kernel_width;
    int32_t stride_height, stride_width, dilation_height, dilation_width;
    int32_t padding_top, padding_left;
    int32_t output_height, output_width, output_channels;
    int32_t input_zero_point, output_zero_point;
    int32_t activation_min, activation_max;
    int32_t isa;
    // Set by curb_conv_prepare:
    int32_t depth, depth_pairs, channel_blocks, pointwise;   // depth: as packed (see run_stride)
    const int16_t *packed_filter;   // [channel_blocks][depth_pairs][16][2]; AVX2_VNNI: int8 [blocks][quads][16][4]
    const int32_t *channel_offset;  // bias − input_zero_point · Σ filter, per channel (wrapping)
    const int32_t *multiplier, *left_shift, *right_shift;
    uint8_t *thread_scratch;        // per thread: gathered int8 rows, then the int16 panel
    size_t thread_scratch_stride;
    int32_t shifts_left;            // 1 when some channel's multiplier is above 1
    int32_t run_stride;             // bytes per kernel row in a gathered row (depth = kernel_height · run_stride)
    int32_t row_pairs;              // AVX-512, at most 8 channels: column j of the one block is channel j / 2
    int32_t window_span;            // AVX-512 with VBMI: bytes of an input row 4 adjacent pixels' runs cover, or 0
    uint8_t window_permutation[64]; // with window_span: window byte of each panel byte of one kernel row
    const struct curb_magnitude_rounding *magnitude;   // AVX-512, when exact for every channel: [channel_blocks]
} curb_conv_params;

/// Scratch bytes `curb_conv_prepare` needs (packed weights, per-channel values, per-thread buffers).
size_t curb_conv_scratch_bytes(int32_t isa, int32_t output_channels, int32_t kernel_height, int32_t kernel_width,
                               int32_t input_channels, int32_t threads);
/// Packs `filter` ([output_channels][depth], OHWI) and the per-channel values into `scratch` (64-byte aligned,
/// `curb_conv_scratch_bytes` long) and fills the derived fields of `params` (geometry fields set first).
void curb_conv_prepare(curb_conv_params *params, const int8_t *filter, const int32_t *bias /* nullable */,
                       const int32_t *multiplier, const int32_t *shift, int32_t threads, void *scratch);
/// Computes the rows or channel blocks of `chunk` of `chunks` with thread `thread`'s scratch (identical bits
/// whatever the split).
void curb_conv_run_part(const curb_conv_params *params, int chunk, int chunks, int thread);
/// Runs the convolution on the pool (or inline when `pool` is NULL).
void curb_conv_run(const curb_conv_params *params, curb_pool *pool);

// ---------------------------------------------------------------------------------------------------------------
// Depthwise convolution, depth multiplier 1: channels in vectors, `(x − zero point) · w` exact in int16.

typedef struct curb_depthwise_params {
    const int8_t *input;
    int8_t *output;
    int32_t batches, input_height, input_width, channels;
    int32_t kernel_height, kernel_width;
    int32_t stride_height, stride_width, dilation_height, dilation_width;
    int32_t padding_top, padding_left;
    int32_t output_height, output_width;
    int32_t input_zero_point, output_zero_point;
    int32_t activation_min, activation_max;
    int32_t isa;
    // Set by curb_depthwise_prepare:
    int32_t padded_channels;
    const int16_t *packed_filter;   // [taps][padded_channels]
    const int32_t *bias;            // [padded_channels], 0 without bias
    const int32_t *multiplier, *left_shift, *right_shift;
    // Pixels whose every tap is inside the input: taps in pairs ([pair][padded_channels][2], an odd count's
    // last pair has weight 0) on the raw input, the zero point folded into `full_bias` = bias − zp · Σ taps' w
    // (wrapping: the same int32 sum in another order).
    int32_t tap_pairs;
    const int16_t *pair_filter;
    const int32_t *full_bias;
    const struct curb_magnitude_rounding *magnitude;   // AVX2 rows: [padded_channels / 16] when exact, or NULL
    // AVX-512 (at most CURB_DEPTHWISE_WIDE_TAPS taps; else the fields above and the AVX2 row): 32 channels per
    // step in two 16-lane vectors ordered as vpunpck{l,h}wd leaves them (lane j of vector v holds channel
    // 8·(j/4) + 4·v + j%4 of the block); every tap reads the raw input, a tap outside the input reads
    // `zero_point_row` (the input zero point, whose products `wide_bias` takes away again).
    const int16_t *wide_filter;                     // [blocks][tap_pairs][2][16][2]
    const int32_t *wide_bias;                       // [blocks][2][16]: bias − zp · Σ w
    const int32_t *wide_multiplier, *wide_left_shift, *wide_right_shift;   // [blocks][2][16]
    const int8_t *zero_point_row;                   // [channels rounded up to 32]
    const struct curb_magnitude_rounding *wide_magnitude;   // [blocks][2] when exact for every channel, or NULL
    int32_t shifts_left;                            // 1 when some channel's multiplier is above 1
    // 1 for layers of at most 16 channels: a block holds two adjacent output pixels (channels 16…31 of the
    // layout are channels 0…15 of the second pixel).
    int32_t pixel_pairs;
    // 3x3 layers whose one-rounding requantization is exact, on AVX-512 (blocks of 64 channels) and AVX-VNNI (32):
    // channels [0, quad_channels), a column's three taps as one vpdpbusd quad (inputs + 128 as uint8; accumulator
    // a, lane l holds channel 16·(l/4) + 4·a + l%4 of the block, the order the saturating packs undo). The rest of
    // the channels take the other rows.
    int32_t quad_channels;
    // AVX-512, 3x3 layers of 16 or 32 channels at stride 1 (one rounding exact): one 64-channel block of the quad
    // layout holds quad_group (4 or 2) adjacent pixels, whose columns are adjacent in the input, for the interior
    // pixels of a row; the others take the 32-channel rows. 0 otherwise.
    int32_t quad_group;
    const int8_t *quad_filter;                      // [blocks][kx][4][width / 4][ky 0…2, 0]
    const int32_t *quad_offset;                     // [blocks][4][width / 4]: bias − (zp + 128) · Σ w
    const struct curb_magnitude_rounding *quad_magnitude;   // [blocks][width / 16], lanes in accumulator order
    const int8_t *quad_zero_point_row;              // 64 bytes of the input zero point
} curb_depthwise_params;

enum { CURB_DEPTHWISE_WIDE_TAPS = 64 };

/// Scratch bytes `curb_depthwise_prepare` needs for this instruction set.
size_t curb_depthwise_scratch_bytes(int32_t isa, int32_t channels, int32_t taps);
void curb_depthwise_prepare(curb_depthwise_params *params, const int8_t *filter /* [taps][channels] */,
                            const int32_t *bias /* nullable */, const int32_t *multiplier, const int32_t *shift,
                            void *scratch);
void curb_depthwise_run_part(const curb_depthwise_params *params, int chunk, int chunks);
void curb_depthwise_run(const curb_depthwise_params *params, curb_pool *pool);

// ---------------------------------------------------------------------------------------------------------------
// int8 ADD (TFLite's AddFunc, double rounding): out[k] = clamp(MBQM<1(MBQM<1((a − za)·2^L, m1, s1)
// + MBQM<1((b − zb)·2^L, m2, s2), mo, so) + zo). The output is walked in rows of `inner` elements; row r
// reads input 1 at r·outer_step1 + i·inner_step1 (steps 0 or 1), likewise input 2: elementwise (one row,
// steps 1), a broadcast suffix such as per-channel (`inner` = channels, the broadcast side's outer step 0),
// or a scalar (inner step 0).

typedef struct curb_add_params {
    const int8_t *input1, *input2;
    int8_t *output;
    int64_t count;                          // output elements
    int64_t inner;                          // row length (≥ 1)
    int64_t outer_step1, outer_step2;       // per row
    int32_t inner_step1, inner_step2;       // per element within a row: 0 or 1
    int32_t input1_offset, input2_offset;   // −zero points
    int32_t left_shift;                     // 0…20
    int32_t input1_multiplier, input1_right_shift;
    int32_t input2_multiplier, input2_right_shift;
    int32_t output_multiplier, output_right_shift;
    int32_t output_zero_point, activation_min, activation_max;
    int32_t isa;
} curb_add_params;

/// Output elements [begin, end) with the parameters' instruction set.
void curb_add_run_range(const curb_add_params *params, int64_t begin, int64_t end);
/// The whole output, split over the pool when it is large enough to pay for the hand-off.
void curb_add_run(const curb_add_params *params, curb_pool *pool);

// ---------------------------------------------------------------------------------------------------------------
// Requantization of a row of int32 accumulators (exposed for tests): out[i] = clamp(MBQM(acc[i] + offset[i],
// multiplier[i], shift) + zero point).
void curb_requantize_row(int isa, const int32_t *accumulators, const int32_t *offset, const int32_t *multiplier,
                         const int32_t *left_shift, const int32_t *right_shift, int32_t count,
                         int32_t output_zero_point, int32_t activation_min, int32_t activation_max, int8_t *output);

#ifdef __cplusplus
}
#endif
#endif

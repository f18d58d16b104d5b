// ADD: the driver (rows of the broadcast, work split) and the portable row kernel that defines the bits.
#include "internal.h"

static void row_portable(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count) {
    for (int64_t i = 0; i < count; i++) {
        out[i] = curb_add_one(p, a[i * p->inner_step1], b[i * p->inner_step2]);
    }
}

static void row(const curb_add_params *p, const int8_t *a, const int8_t *b, int8_t *out, int64_t count) {
#if defined(__x86_64__)
    if (p->isa == CURB_ISA_AVX512_VNNI) { curb_add_row_avx512(p, a, b, out, count); return; }
    if (curb_isa_is_avx2(p->isa)) { curb_add_row_avx2(p, a, b, out, count); return; }
#endif
#if defined(__aarch64__)
    if (p->isa == CURB_ISA_NEON || p->isa == CURB_ISA_NEON_DOT) { curb_add_row_neon(p, a, b, out, count); return; }
#endif
    row_portable(p, a, b, out, count);
}

void curb_add_run_range(const curb_add_params *p, int64_t begin, int64_t end) {
    int64_t k = begin;
    while (k < end) {
        int64_t r = k / p->inner, i = k % p->inner;
        int64_t count = p->inner - i;
        if (count > end - k) count = end - k;
        row(p, p->input1 + r * p->outer_step1 + i * p->inner_step1, p->input2 + r * p->outer_step2 + i * p->inner_step2,
            p->output + k, count);
        k += count;
    }
}

static void add_task(void *context, int chunk, int chunks, int thread) {
    (void)thread;
    const curb_add_params *p = context;
    // Chunk borders on multiples of 64 elements keep every vector store inside one chunk's cache lines.
    int64_t blocks = (p->count + 63) / 64;
    int64_t begin = blocks * chunk / chunks * 64, end = blocks * (chunk + 1) / chunks * 64;
    if (end > p->count) end = p->count;
    if (begin < end) curb_add_run_range(p, begin, end);
}

void curb_add_run(const curb_add_params *p, curb_pool *pool) {
    // Below ~16 K elements one thread finishes before a hand-off to the others would pay off.
    int threads = curb_pool_threads(pool);
    int chunks = p->count < 16384 || threads == 1 ? 1 : 2 * threads;
    if (chunks == 1) { curb_add_run_range(p, 0, p->count); return; }
    curb_pool_run(pool, add_task, (void *)p, chunks);
}

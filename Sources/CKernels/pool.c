// The interpreter's thread pool. C because parking needs the futex system call (variadic `syscall` cannot be
// called from Swift); Swift owns the pool's lifetime (ThreadPool.swift).
//
// A job is published by bumping `generation` (release); workers spin on it for a short while (layers follow
// each other within microseconds), then park on the futex (frames are milliseconds apart: an idle pool costs
// no CPU). `sleepers` and the futex compare make the wake-up race-free: a worker either sees the new generation
// or is counted as asleep before the caller decides whether to call FUTEX_WAKE.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

struct curb_pool {
    int threads;
    pthread_t *handles;
    uint32_t generation;   // the futex word: bumped once per job
    int32_t sleepers;
    int32_t stop;
    // The current job. `claim` packs (job generation << 32 | next chunk): a worker takes a chunk with a
    // compare-and-swap that fails if a newer job has been published, so a late worker can never run a chunk
    // of one job with another job's task.
    uint64_t claim;
    int32_t chunks;
    int32_t done;
    void (*task)(void *, int, int, int);
    void *context;
    struct worker_start { struct curb_pool *pool; int thread; } *starts;
};

enum { SPIN_NANOSECONDS = 100000 };

static inline void cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static int64_t now_nanoseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void futex_wait(uint32_t *word, uint32_t expected) {
#if defined(__linux__)
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
#else
    (void)word; (void)expected; sched_yield();
#endif
}

static void futex_wake_all(uint32_t *word) {
#if defined(__linux__)
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
#else
    (void)word;
#endif
}

/// Takes and runs chunks of job `job` until none is left (or a newer job replaced it).
static void run_chunks(curb_pool *pool, uint32_t job, int thread) {
    for (;;) {
        uint64_t claim = __atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE);
        if ((uint32_t)(claim >> 32) != job) return;
        int32_t chunk = (int32_t)(uint32_t)claim;
        // Read the job before claiming: while any chunk is unclaimed the job cannot be replaced.
        int32_t chunks = pool->chunks;
        void (*task)(void *, int, int, int) = pool->task;
        void *context = pool->context;
        if (chunk >= chunks) return;
        if (!__atomic_compare_exchange_n(&pool->claim, &claim, claim + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) continue;
        task(context, chunk, chunks, thread);
        __atomic_fetch_add(&pool->done, 1, __ATOMIC_RELEASE);
    }
}

static void *worker_main(void *argument) {
    struct worker_start *start = argument;
    curb_pool *pool = start->pool;
    // Generation 0 is "no job yet": a worker that starts late must still find the first job.
    uint32_t seen = 0;
    for (;;) {
        uint32_t current;
        int64_t spin_start = now_nanoseconds();
        int spins = 0;
        while ((current = __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE)) == seen) {
            cpu_relax();
            if (++spins % 64 == 0 && now_nanoseconds() - spin_start > SPIN_NANOSECONDS) {
                __atomic_fetch_add(&pool->sleepers, 1, __ATOMIC_SEQ_CST);
                futex_wait(&pool->generation, seen);
                __atomic_fetch_sub(&pool->sleepers, 1, __ATOMIC_SEQ_CST);
                spin_start = now_nanoseconds();
            }
        }
        seen = current;
        if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE)) return NULL;
        run_chunks(pool, current, start->thread);
    }
}

curb_pool *curb_pool_create(int threads) {
    if (threads < 1) threads = 1;
    curb_pool *pool = calloc(1, sizeof(curb_pool));
    if (!pool) return NULL;
    pool->threads = threads;
    if (threads > 1) {
        pool->handles = calloc((size_t)threads, sizeof(pthread_t));
        pool->starts = calloc((size_t)threads, sizeof(struct worker_start));
        if (!pool->handles || !pool->starts) { free(pool->handles); free(pool->starts); free(pool); return NULL; }
        for (int thread = 1; thread < threads; thread++) {
            pool->starts[thread].pool = pool;
            pool->starts[thread].thread = thread;
            if (pthread_create(&pool->handles[thread], NULL, worker_main, &pool->starts[thread]) != 0) {
                pool->threads = thread;   // destroy joins only the workers that exist
                curb_pool_destroy(pool);
                return NULL;
            }
        }
    }
    return pool;
}

void curb_pool_destroy(curb_pool *pool) {
    if (!pool) return;
    if (pool->threads > 1) {
        __atomic_store_n(&pool->stop, 1, __ATOMIC_RELEASE);
        __atomic_fetch_add(&pool->generation, 1, __ATOMIC_SEQ_CST);
        futex_wake_all(&pool->generation);
        for (int thread = 1; thread < pool->threads; thread++) pthread_join(pool->handles[thread], NULL);
    }
    free(pool->handles);
    free(pool->starts);
    free(pool);
}

int curb_pool_threads(const curb_pool *pool) { return pool ? pool->threads : 1; }

void curb_pool_run(curb_pool *pool, void (*task)(void *, int, int, int), void *context, int chunks) {
    if (!pool || pool->threads == 1 || chunks <= 1) {
        for (int chunk = 0; chunk < chunks; chunk++) task(context, chunk, chunks, 0);
        return;
    }
    uint32_t job = pool->generation + 1;
    if (job == 0) job = 1;   // 0 means "no job yet" to a starting worker
    pool->task = task;
    pool->context = context;
    pool->chunks = chunks;
    __atomic_store_n(&pool->done, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&pool->claim, (uint64_t)job << 32, __ATOMIC_RELEASE);
    __atomic_store_n(&pool->generation, job, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&pool->sleepers, __ATOMIC_SEQ_CST) > 0) futex_wake_all(&pool->generation);
    // The caller works too, and takes every chunk itself if a worker is slow to wake (a busy 2-core board):
    // it waits only for chunks a worker has actually started.
    run_chunks(pool, job, 0);
    int spins = 0;
    while (__atomic_load_n(&pool->done, __ATOMIC_ACQUIRE) < chunks) {
        cpu_relax();
        if (++spins > 4096) sched_yield();
    }
}

int64_t curb_pool_worker_cpu_nanoseconds(const curb_pool *pool) {
    if (!pool) return 0;
    int64_t total = 0;
    for (int part = 1; part < pool->threads; part++) {
        clockid_t clock;
        struct timespec ts;
        if (pthread_getcpuclockid(pool->handles[part], &clock) == 0 && clock_gettime(clock, &ts) == 0) {
            total += (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
        }
    }
    return total;
}

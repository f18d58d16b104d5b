#ifndef CURBSIDE_MALLOC_COUNTER_H
#define CURBSIDE_MALLOC_COUNTER_H
#include <stdint.h>

/// Allocation calls (malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign) made by the
/// calling thread since it started.
uint64_t malloc_counter_thread_allocations(void);
/// Allocation calls made by every thread of the process.
uint64_t malloc_counter_total_allocations(void);

#endif

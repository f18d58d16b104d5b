// Counts heap allocations by interposing the allocator: this object defines malloc & co. and forwards
// to glibc's __libc_* entry points. Linked into a test executable, ELF symbol interposition routes every
// allocation of the process (Swift runtime, libc users) through here. Test support only.
#define _GNU_SOURCE
#include "malloc_counter.h"
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static __thread uint64_t thread_count __attribute__((tls_model("initial-exec")));
static uint64_t total_count;

static inline void count_one(void) {
    thread_count++;
    __atomic_fetch_add(&total_count, 1, __ATOMIC_RELAXED);
}

uint64_t malloc_counter_thread_allocations(void) { return thread_count; }
uint64_t malloc_counter_total_allocations(void) { return __atomic_load_n(&total_count, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { count_one(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { count_one(); return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
int posix_memalign(void **result, size_t alignment, size_t size) {
    count_one();
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

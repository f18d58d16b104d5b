#ifndef CURBSIDE_FUZZER_DRIVER_H
#define CURBSIDE_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver entry point (present when linking with -sanitize=fuzzer): runs the fuzzing loop,
/// calling `callback` with each input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

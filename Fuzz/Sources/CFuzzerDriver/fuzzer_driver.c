// Declarations only; libFuzzer provides the definition at link time.
#include "fuzzer_driver.h"

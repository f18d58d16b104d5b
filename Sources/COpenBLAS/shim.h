// OpenBLAS's CBLAS interface. pkg-config (openblas.pc) puts Debian's openblas-pthread include directory
// first, so this is OpenBLAS's own cblas.h (which also declares openblas_set_num_threads), not another
// BLAS picked by the cblas.h alternative.
#include <cblas.h>

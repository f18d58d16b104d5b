// Empty: the target exists only to export the header's declaration of LLVMFuzzerRunDriver to Swift.
#include "CFuzzDriver.h"

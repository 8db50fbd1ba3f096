// Compiled into each DTLS harness executable with DTLSIM_FUZZ_BACKEND naming its backend
// (fuzz_targets.cmake): one harness source serves every backend. libFuzzer calls this before
// the first input; the regression driver (tests/fuzz_regression/main.cpp) does the same.
#include "fixture.h"

#ifndef DTLSIM_FUZZ_BACKEND
#error "DTLSIM_FUZZ_BACKEND must name the harness's DTLS backend"
#endif

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  dtlsim_fuzz::selectBackend(DTLSIM_FUZZ_BACKEND);
  return 0;
}

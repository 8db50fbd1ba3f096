// fuzz_empty: the baseline of fuzz_wire's throughput goal (README.md, "Throughput"), not a
// fuzzer. It is built exactly as fuzz_wire is (fuzz/CMakeLists.txt: the same compile options,
// coverage instrumentation, sanitizers, libraries and engine) and does nothing with its input,
// so its exec/s is what libFuzzer, ASan and UBSan cost per input on the machine at hand;
// scripts/fuzz-ci.sh runs it beside fuzz_wire with the same options and prints the ratio.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libFuzzer calls this through a pointer, so it cannot be optimised away; the barrier only
  // says "the input was handed over" without reading it (reading every byte would make the
  // baseline cost grow with the input, which is the harness's work, not libFuzzer's).
  asm volatile("" : : "r"(data), "r"(size) : "memory");
  return 0;
}

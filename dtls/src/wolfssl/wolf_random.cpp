#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/cryptocb.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/random.h>

#include <algorithm>
#include <mutex>

#include "wolf_random.h"
#include "wolf_tls.h"

namespace dtls::detail::wolf {

namespace {

// Any value other than INVALID_DEVID (-2) that no other code registers: "dtls".
constexpr int kDeviceId = 0x64746c73;

thread_local RandomSource* t_source = nullptr;

int answer(int /*device*/, wc_CryptoInfo* info, void* /*ctx*/) {
  if (t_source == nullptr || info == nullptr) return CRYPTOCB_UNAVAILABLE;
  if (info->algo_type == WC_ALGO_TYPE_RNG) {
    t_source->fill(info->rng.out, info->rng.sz);
    return 0;
  }
  // The seed of a DRBG (wc_InitRng_ex). The world's stream never repeats a block, which
  // wolfSSL's seed test (wc_RNG_TestSeed) would reject.
  if (info->algo_type == WC_ALGO_TYPE_SEED) {
    t_source->fill(info->seed.seed, info->seed.sz);
    return 0;
  }
  return CRYPTOCB_UNAVAILABLE;
}

}  // namespace

int deviceId() {
  static std::once_flag once;
  std::call_once(once, [] {
    wolfSSL_Init();
    wc_CryptoCb_RegisterDevice(kDeviceId, answer, nullptr);
  });
  return kDeviceId;
}

void fillRandom(RandomSource* source, unsigned char* out, std::size_t bytes) {
  RandomBinding bind(source);
  WC_RNG rng;
  if (wc_InitRng_ex(&rng, nullptr, deviceId()) != 0) {
    std::fill_n(out, bytes, 0);  // as a failed draw elsewhere: an empty secret downstream
    return;
  }
  if (wc_RNG_GenerateBlock(&rng, out, static_cast<word32>(bytes)) != 0) std::fill_n(out, bytes, 0);
  wc_FreeRng(&rng);
}

RandomBinding::RandomBinding(RandomSource* source) : previous_(t_source) {
  t_source = source;
  // FP_ECC keeps a per-thread cache of fixed-point tables (ecc.c fp_cache), built once a point
  // was multiplied twice; a cached multiplication skips the random projective blinding that the
  // uncached, timing-resistant one draws. How much a handshake draws from the stream would then
  // depend on what ran before on the thread (an earlier world, an earlier connection). Emptying
  // the cache at every entry makes each call's draws depend on that call alone.
  wc_ecc_fp_free();
}
RandomBinding::~RandomBinding() { t_source = previous_; }

}  // namespace dtls::detail::wolf

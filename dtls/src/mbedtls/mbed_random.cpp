#include "mbed_random.h"

#include <mbedtls/md.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace dtls::detail {

struct MbedRandom::Drbg {
  Drbg() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&ctr_drbg);
    seeded = mbedtls_ctr_drbg_seed(&ctr_drbg, mbedtls_entropy_func, &entropy, nullptr, 0) == 0;
  }
  ~Drbg() {
    mbedtls_ctr_drbg_free(&ctr_drbg);
    mbedtls_entropy_free(&entropy);
  }
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context ctr_drbg;
  bool seeded = false;
};

MbedRandom::MbedRandom()
    : source_(currentRandomSource()),
      drbg_(source_ == nullptr ? std::make_unique<Drbg>() : nullptr) {}

MbedRandom::~MbedRandom() = default;

int MbedRandom::generate(void* self, unsigned char* out, std::size_t bytes) {
  auto* random = static_cast<MbedRandom*>(self);
  if (random->source_ != nullptr) {
    random->source_->fill(out, bytes);
    return 0;
  }
  if (!random->drbg_->seeded) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  // mbedtls_ctr_drbg_random refuses more than MBEDTLS_CTR_DRBG_MAX_REQUEST at once.
  while (bytes > 0) {
    const std::size_t n = std::min<std::size_t>(bytes, MBEDTLS_CTR_DRBG_MAX_REQUEST);
    if (const int ret = mbedtls_ctr_drbg_random(&random->drbg_->ctr_drbg, out, n); ret != 0)
      return ret;
    out += n;
    bytes -= n;
  }
  return 0;
}

DerivedStream::DerivedStream(const GeneratorParameters& params, const char* label,
                             MbedRandom* then)
    : params_(params), label_(label), then_(then) {}

int DerivedStream::generate(void* self, unsigned char* out, std::size_t bytes) {
  auto* stream = static_cast<DerivedStream*>(self);
  if (stream->random_now_) return MbedRandom::generate(stream->then_, out, bytes);
  const mbedtls_md_info_t* sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  while (bytes > 0) {
    std::string input = stream->label_;
    // The hash names a different key, as it would name a different HMAC for OpenSSL's cookies.
    input.push_back(static_cast<char>(stream->params_.hash));
    for (int shift = 24; shift >= 0; shift -= 8)
      input.push_back(static_cast<char>((stream->block_ >> shift) & 0xff));
    ++stream->block_;
    unsigned char block[32];
    const auto& secret = stream->params_.secret;
    if (const int ret = mbedtls_md_hmac(
            sha256, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), block);
        ret != 0)
      return ret;
    const std::size_t n = std::min(bytes, sizeof block);
    std::memcpy(out, block, n);
    out += n;
    bytes -= n;
  }
  return 0;
}

}  // namespace dtls::detail

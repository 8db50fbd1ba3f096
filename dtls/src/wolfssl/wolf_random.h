// Private (wolfSSL side of wolf_tls.h): wolfSSL's process-wide set-up and where its randomness
// comes from.
//
// Debian's wolfSSL 5.5.4 has neither wc_SetSeed_Cb nor CUSTOM_RAND; it has WOLF_CRYPTO_CB. One
// crypto-callback device, registered once per process, answers WC_ALGO_TYPE_RNG and
// WC_ALGO_TYPE_SEED from the RandomSource bound on the calling thread (RandomBinding), and
// CRYPTOCB_UNAVAILABLE for everything else (wolfCrypt then computes in software). A context set
// to that device (wolfSSL_CTX_SetDevId) before wolfSSL_new gives the WOLFSSL an RNG whose every
// draw reaches the device (wc_InitRng_ex(ssl->rng, heap, ssl->devId) in InitSSL). Without a
// bound source the device answers CRYPTOCB_UNAVAILABLE and wolfSSL uses the system's entropy.
#pragma once

#include "dtls/random_source.h"

namespace dtls::detail::wolf {

// wolfSSL_Init and the device's registration, once; returns the device id.
int deviceId();

// Binds `source` (may be null) for the wolfSSL calls made on this thread in the scope. The
// registry of devices is global and not locked by wolfSSL, so it is written once; the binding
// is thread-local, which keeps worlds on different threads apart.
class RandomBinding {
 public:
  explicit RandomBinding(RandomSource* source);
  ~RandomBinding();
  RandomBinding(const RandomBinding&) = delete;
  RandomBinding& operator=(const RandomBinding&) = delete;

 private:
  RandomSource* previous_;
};

}  // namespace dtls::detail::wolf

#include "dtls/psk_authenticator.h"

#include <algorithm>
#include <utility>

namespace dtls {

PreSharedKeyAuthenticator::PreSharedKeyAuthenticator(ByteArray identityHint,
                                                     int maximumIdentityLength,
                                                     int maximumPreSharedKeyLength)
    : identityHint_(std::move(identityHint)),
      maximumIdentityLength_(std::max(0, maximumIdentityLength)),
      maximumPreSharedKeyLength_(std::max(0, maximumPreSharedKeyLength)) {}

void PreSharedKeyAuthenticator::swap(PreSharedKeyAuthenticator& other) noexcept {
  using std::swap;
  swap(identityHint_, other.identityHint_);
  swap(identity_, other.identity_);
  swap(preSharedKey_, other.preSharedKey_);
  swap(maximumIdentityLength_, other.maximumIdentityLength_);
  swap(maximumPreSharedKeyLength_, other.maximumPreSharedKeyLength_);
}

}  // namespace dtls

// wolf_tls.h: one handshake's WOLFSSL_CTX and WOLFSSL, built from TlsSettings.
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/random.h>

#include <cstring>

#include "wolf_random.h"
#include "wolf_tls.h"
#include "wolf_tls_impl.h"

namespace dtls::detail::wolf {

namespace {

// Session tickets a server issues stay valid this long (Qt's default lifetime hint).
constexpr int kTicketLifetimeS = 7200;
constexpr std::size_t kTicketKeyBytes = 32;

ByteArray bytes(const unsigned char* data, std::size_t size) {
  return ByteArray(reinterpret_cast<const char*>(data), size);
}
const unsigned char* uchars(const ByteArray& b) {
  return reinterpret_cast<const unsigned char*>(b.data());
}

WOLFSSL_METHOD* methodFor(const TlsSettings& s) {
  if (s.server) {
    if (s.only_dtls10) return wolfDTLSv1_server_method();
    return s.allow_dtls10 ? wolfDTLS_server_method() : wolfDTLSv1_2_server_method();
  }
  if (s.only_dtls10) return wolfDTLSv1_client_method();
  return s.allow_dtls10 ? wolfDTLS_client_method() : wolfDTLSv1_2_client_method();
}

ByteArray certificatePem(const ByteArray& der) {
  // A PEM chain is the one form wolfSSL_CTX_use_certificate_chain_buffer takes whole.
  std::vector<unsigned char> pem(der.size() * 2 + 128);
  const int n = wc_DerToPem(uchars(der), static_cast<word32>(der.size()), pem.data(),
                            static_cast<word32>(pem.size()), CERT_TYPE);
  return n > 0 ? bytes(pem.data(), static_cast<std::size_t>(n)) : ByteArray();
}

}  // namespace

TlsImpl::~TlsImpl() {
  RandomBinding bind(random_);
  if (ssl_ != nullptr) wolfSSL_free(ssl_);
  if (ctx_ != nullptr) wolfSSL_CTX_free(ctx_);
}

bool TlsImpl::setUp(const TlsSettings& s, std::string* error) {
  server_ = s.server;
  ctx_ = wolfSSL_CTX_new(methodFor(s));
  if (ctx_ == nullptr) {
    *error = "wolfSSL_CTX_new failed";
    return false;
  }
  // Before wolfSSL_new: the WOLFSSL's RNG takes the context's device (wolf_random.h).
  wolfSSL_CTX_SetDevId(ctx_, deviceId());
  if (s.allow_dtls10) wolfSSL_CTX_SetMinVersion(ctx_, WOLFSSL_DTLSV1);
  // The session cache is global to the process (ssl.c SessionCache): with it, one world could
  // resume a session another world (or an earlier run of the same seed) stored, which breaks
  // determinism. OFF stops a server's look-ups by session id; the two NO_INTERNAL bits stop a
  // client's stores (OPENSSL_EXTRA keeps client caching on under OFF: ssl.c
  // SslSessionCacheOff) and every internal look-up (HAVE_EXT_CACHE). Resumption then works by
  // tickets only, stateless on the server, as on the other backends.
  wolfSSL_CTX_set_session_cache_mode(ctx_, WOLFSSL_SESS_CACHE_OFF);
  wolfSSL_CTX_set_session_cache_mode(
      ctx_, WOLFSSL_SESS_CACHE_NO_INTERNAL_STORE | WOLFSSL_SESS_CACHE_NO_INTERNAL_LOOKUP);
  if (!setCredentials(s, error) || !setCiphers(s, error)) return false;
  setTickets(s);
  if (s.server && !s.alpn.empty()) {
    // wolfSSL's own match (tls.c ALPN_find_match) takes the client's first protocol the server
    // has; Qt's OpenSSL callback (SSL_select_next_proto) takes the server's first the client
    // offered. The select callback (copied into the WOLFSSL by wolfSSL_new) makes the server's
    // order decide here too.
    alpn_ = s.alpn;
    wolfSSL_CTX_set_alpn_select_cb(ctx_, &TlsImpl::onAlpnSelect, this);
  }
  wolfSSL_CTX_set_verify(ctx_,
                         s.verify == Verify::kNone       ? WOLFSSL_VERIFY_NONE
                         : s.verify == Verify::kOptional ? WOLFSSL_VERIFY_PEER
                                                         : WOLFSSL_VERIFY_PEER |
                                                               WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         s.verify == Verify::kNone ? nullptr : &TlsImpl::onVerify);
  // OpenSSL's meaning (levels 0..depth+1, the anchor last): src/internal.c ProcessPeerCerts
  // follows it under OPENSSL_EXTRA, which Debian's build defines.
  if (s.verify_depth > 0) wolfSSL_CTX_set_verify_depth(ctx_, s.verify_depth);

  // With WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT alone, a DTLS 1.2 server that gets an empty
  // Certificate reads on and gives up at the ClientKeyExchange without a word
  // (src/internal.c DoClientKeyExchange, NO_PEER_CERT), so the client retransmits until it times
  // out. Mutual authentication makes it answer the empty Certificate with the fatal
  // handshake_failure RFC 5246 §7.4.6 names (DoCertFatalAlert). On the context: 5.5.4's
  // wolfSSL_mutual_auth refuses servers (src/ssl.c tests the side the wrong way round). Both
  // return 0 on success.
  if (s.server && s.verify == Verify::kRequired && wolfSSL_CTX_mutual_auth(ctx_, 1) != 0) {
    *error = "wolfSSL_CTX_mutual_auth failed";
    return false;
  }
  ssl_ = wolfSSL_new(ctx_);
  if (ssl_ == nullptr) {
    *error = "wolfSSL_new failed";
    return false;
  }
  wolfSSL_set_app_data(ssl_, this);
  wolfSSL_SSLSetIORecv(ssl_, &TlsImpl::onReceive);
  wolfSSL_SSLSetIOSend(ssl_, &TlsImpl::onSend);
  wolfSSL_SetIOReadCtx(ssl_, this);
  wolfSSL_SetIOWriteCtx(ssl_, this);
  // The application drives retransmission (wolfSSL_dtls_got_timeout); wolfSSL must not wait.
  wolfSSL_dtls_set_using_nonblock(ssl_, 1);
  wolfSSL_dtls_set_timeout_init(ssl_, static_cast<int>(s.initial_timeout_s));
  wolfSSL_dtls_set_timeout_max(ssl_, static_cast<int>(s.max_timeout_s));
  return setPerConnection(s, error);
}

bool TlsImpl::setCredentials(const TlsSettings& s, std::string* error) {
  // A CA wolfSSL cannot parse cannot anchor a chain it verifies: leaving it out only makes
  // verification stricter, as OpenSSL's store does with certificates it cannot load.
  for (const ByteArray& ca : s.ca_der)
    wolfSSL_CTX_load_verify_buffer(ctx_, uchars(ca), static_cast<long>(ca.size()),
                                   WOLFSSL_FILETYPE_ASN1);
  if (s.chain_der.empty()) return true;
  ByteArray pem;
  for (std::size_t i = 0; i < s.chain_der.size(); ++i) {
    const ByteArray one = certificatePem(s.chain_der[i]);
    if (one.empty()) {
      *error = "wolfssl cannot encode local certificate " + std::to_string(i);
      return false;
    }
    pem += one;
  }
  if (wolfSSL_CTX_use_certificate_chain_buffer(ctx_, uchars(pem), static_cast<long>(pem.size())) !=
      WOLFSSL_SUCCESS) {
    *error = "wolfssl refused the local certificate chain";
    return false;
  }
  if (wolfSSL_CTX_use_PrivateKey_buffer(ctx_, uchars(s.key_der), static_cast<long>(s.key_der.size()),
                                        WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
    *error = "wolfssl cannot parse the private key";
    return false;
  }
  if (wolfSSL_CTX_check_private_key(ctx_) != WOLFSSL_SUCCESS) {
    *error = "the private key does not match the local certificate";
    return false;
  }
  return true;
}

bool TlsImpl::setCiphers(const TlsSettings& s, std::string* error) {
  // IANA ids; wolfSSL skips those it does not implement (SetCipherListFromBytes), as OpenSSL
  // leaves out suites it cannot use. None left is an error.
  std::vector<unsigned char> list;
  for (std::uint16_t id : s.suites) {
    list.push_back(static_cast<unsigned char>(id >> 8));
    list.push_back(static_cast<unsigned char>(id & 0xff));
  }
  if (list.empty() || wolfSSL_CTX_set_cipher_list_bytes(ctx_, list.data(),
                                                        static_cast<int>(list.size())) !=
                          WOLFSSL_SUCCESS) {
    *error = "no cipher suite of the configuration is implemented by wolfssl";
    return false;
  }
  // wolfSSL picks by its own list unless told to walk the client's (MatchSuite, useClientOrder).
  // This setter answers 0 on success, unlike most of the API.
  if (s.server && s.client_order && wolfSSL_CTX_UseClientSuites(ctx_) != 0) {
    *error = "wolfssl refused to choose by the client's cipher order";
    return false;
  }
  // Without a group a wolfSSL server leaves its DHE suites out of the choice (internal.c
  // VerifyServerSuite: haveDH); OpenSSL's always has one, Configuration's default. Empty when
  // the server cannot choose a DHE suite anyway (wolf_connection.cpp).
  if (s.server && !s.dh_der.empty() &&
      wolfSSL_CTX_SetTmpDH_buffer(ctx_, uchars(s.dh_der), static_cast<long>(s.dh_der.size()),
                                  WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
    *error = "wolfssl refused the Diffie-Hellman parameters";
    return false;
  }
  for (std::uint16_t group : s.groups) {
    if (wolfSSL_CTX_UseSupportedCurve(ctx_, group) != WOLFSSL_SUCCESS) {
      *error = "wolfssl does not implement the named group " + std::to_string(group);
      return false;
    }
  }
  return true;
}

void TlsImpl::setTickets(const TlsSettings& s) {
  if (s.server && !s.ticket_key.empty() && s.tickets) {
    ticket_key_ = s.ticket_key;
    wolfSSL_CTX_set_TicketEncCb(ctx_, &TlsImpl::onTicket);
    wolfSSL_CTX_set_TicketEncCtx(ctx_, this);
    wolfSSL_CTX_set_TicketHint(ctx_, kTicketLifetimeS);
  } else if (s.server) {
    // The default ticket callback keys itself from an RNG of its own (DefTicketEncCb), outside
    // the world's stream: never let it issue a ticket.
    wolfSSL_CTX_NoTicketTLSv12(ctx_);
  }
}

bool TlsImpl::setPerConnection(const TlsSettings& s, std::string* error) {
  if (s.server) {
    if (wolfSSL_DTLS_SetCookieSecret(ssl_, uchars(s.cookie_key),
                                     static_cast<unsigned>(s.cookie_key.size())) != 0 ||
        wolfSSL_dtls_set_peer(ssl_, const_cast<char*>(s.peer_id.data()),
                              static_cast<unsigned>(s.peer_id.size())) != WOLFSSL_SUCCESS) {
      *error = "wolfssl refused the cookie secret or the peer address";
      return false;
    }
  }
  if (s.psk) {
    psk_hint_ = s.psk_hint;
    if (s.server) {
      wolfSSL_set_psk_server_callback(ssl_, &TlsImpl::onPskServer);
      if (!s.psk_hint.empty()) wolfSSL_use_psk_identity_hint(ssl_, s.psk_hint.c_str());
    } else {
      wolfSSL_set_psk_client_callback(ssl_, &TlsImpl::onPskClient);
    }
  }
  if (!s.alpn.empty()) {
    std::string list;
    for (const ByteArray& p : s.alpn) {
      // wolfSSL_UseALPN takes a comma-separated list; RFC 7301 allows any byte.
      if (p.find(',') != ByteArray::npos || p.find('\0') != ByteArray::npos) {
        *error = "ALPN protocol '" + p + "' has a comma or NUL byte, which wolfssl cannot take";
        return false;
      }
      list += (list.empty() ? "" : ",") + p;
    }
    // CONTINUE_ON_MISMATCH: a server without a common protocol goes on without ALPN, as Qt's
    // OpenSSL callback does (SSL_TLSEXT_ERR_NOACK).
    if (wolfSSL_UseALPN(ssl_, list.data(), static_cast<unsigned>(list.size()),
                        WOLFSSL_ALPN_CONTINUE_ON_MISMATCH) != WOLFSSL_SUCCESS) {
      *error = "wolfssl refused the ALPN protocol list";
      return false;
    }
  }
  if (!s.server) {
    if (s.tickets) wolfSSL_UseSessionTicket(ssl_);
    if (!s.sni.empty())
      wolfSSL_UseSNI(ssl_, WOLFSSL_SNI_HOST_NAME, s.sni.data(), static_cast<word16>(s.sni.size()));
    if (!s.session.empty() && !resume(s.session)) {
      *error = "the session ticket is not a wolfssl session";
      return false;
    }
  }
  return true;
}

bool TlsImpl::resume(const ByteArray& session) {
  const unsigned char* p = uchars(session);
  WOLFSSL_SESSION* parsed = wolfSSL_d2i_SSL_SESSION(nullptr, &p, static_cast<long>(session.size()));
  if (parsed == nullptr) return false;
  const bool ok = wolfSSL_set_session(ssl_, parsed) == WOLFSSL_SUCCESS;
  wolfSSL_SESSION_free(parsed);
  return ok;
}

std::unique_ptr<Tls> Tls::create(const TlsSettings& settings, TlsHooks* hooks,
                                 RandomSource* random, std::string* error) {
  RandomBinding bind(random);
  auto tls = std::make_unique<TlsImpl>(hooks, random);
  if (!tls->setUp(settings, error)) return nullptr;
  return tls;
}

std::string libraryVersion() { return std::string("wolfSSL ") + wolfSSL_lib_version(); }

// ---- Callbacks ------------------------------------------------------------------------------

int TlsImpl::onReceive(WOLFSSL*, char* buffer, int size, void* ctx) {
  auto* self = static_cast<TlsImpl*>(ctx);
  const int n = self->hooks_->receive(reinterpret_cast<unsigned char*>(buffer),
                                      static_cast<std::size_t>(size));
  return n < 0 ? WOLFSSL_CBIO_ERR_WANT_READ : n;
}

int TlsImpl::onSend(WOLFSSL*, char* data, int size, void* ctx) {
  auto* self = static_cast<TlsImpl*>(ctx);
  self->hooks_->send(reinterpret_cast<const unsigned char*>(data), static_cast<std::size_t>(size));
  return size;
}

int TlsImpl::onVerify(int /*preverify*/, WOLFSSL_X509_STORE_CTX* store) {
  auto* ssl = static_cast<WOLFSSL*>(
      wolfSSL_X509_STORE_CTX_get_ex_data(store, wolfSSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<TlsImpl*>(wolfSSL_get_app_data(ssl)) : nullptr;
  if (self == nullptr) return 0;
  ByteArray der;
  if (WOLFSSL_X509* cert = wolfSSL_X509_STORE_CTX_get_current_cert(store)) {
    int size = 0;
    const unsigned char* p = wolfSSL_X509_get_der(cert, &size);
    if (p != nullptr && size > 0) der = bytes(p, static_cast<std::size_t>(size));
  }
  // Errors are collected by the engine and decided after the handshake (as QDtls does): 1 lets
  // wolfSSL go on past them (DoVerifyCallback's override).
  return self->hooks_->verify(wolfSSL_X509_STORE_CTX_get_error(store),
                              wolfSSL_X509_STORE_CTX_get_error_depth(store), der)
             ? 1
             : 0;
}

int TlsImpl::onAlpnSelect(WOLFSSL*, const unsigned char** out, unsigned char* out_bytes,
                          const unsigned char* offered, unsigned offered_bytes, void* ctx) {
  constexpr int kOk = 0, kNoAck = 3;  // SSL_TLSEXT_ERR_OK, SSL_TLSEXT_ERR_NOACK
  const auto* self = static_cast<const TlsImpl*>(ctx);
  for (const ByteArray& wanted : self->alpn_) {
    // `offered` is the client's ProtocolNameList body, whose lengths wolfSSL checked.
    for (unsigned at = 0; at < offered_bytes; at += 1u + offered[at]) {
      const unsigned char length = offered[at];
      if (length == wanted.size() && at + 1u + length <= offered_bytes &&
          std::memcmp(offered + at + 1, wanted.data(), length) == 0) {
        *out = offered + at + 1;
        *out_bytes = length;
        return kOk;
      }
    }
  }
  return kNoAck;  // wolfSSL goes on without ALPN (WOLFSSL_ALPN_CONTINUE_ON_MISMATCH)
}

unsigned TlsImpl::onPskClient(WOLFSSL* ssl, const char* hint, char* identity,
                              unsigned max_identity, unsigned char* key, unsigned max_key) {
  auto* self = static_cast<TlsImpl*>(wolfSSL_get_app_data(ssl));
  ByteArray id, psk;
  // max_identity counts the terminating NUL wolfSSL expects (MAX_PSK_ID_LEN + NULL).
  const std::size_t id_room = max_identity > 0 ? max_identity - 1 : 0;
  if (!self->hooks_->pskClient(hint != nullptr ? ByteArray(hint) : ByteArray(), id_room, max_key,
                               &id, &psk))
    return 0;
  std::memcpy(identity, id.data(), id.size());
  identity[id.size()] = '\0';
  std::memcpy(key, psk.data(), psk.size());
  return static_cast<unsigned>(psk.size());
}

unsigned TlsImpl::onPskServer(WOLFSSL* ssl, const char* identity, unsigned char* key,
                              unsigned max_key) {
  auto* self = static_cast<TlsImpl*>(wolfSSL_get_app_data(ssl));
  ByteArray psk;
  if (!self->hooks_->pskServer(identity != nullptr ? ByteArray(identity) : ByteArray(), max_key,
                               &psk))
    return 0;  // wolfSSL answers unknown_psk_identity (RFC 4279 §2)
  std::memcpy(key, psk.data(), psk.size());
  return static_cast<unsigned>(psk.size());
}

// RFC 5077 §4's recommended layout, as DefTicketEncCb builds it: a fixed key name, a fresh IV,
// ChaCha20-Poly1305 over the state with (key name || IV || length) authenticated. The key
// derives from the cookie parameters (ticketKey), so every server Connection of a ClientVerifier
// opens the others' tickets; IVs come from the world's stream through the RNG device.
int TlsImpl::onTicket(WOLFSSL* ssl, unsigned char key_name[WOLFSSL_TICKET_NAME_SZ],
                      unsigned char iv[WOLFSSL_TICKET_IV_SZ],
                      unsigned char mac[WOLFSSL_TICKET_MAC_SZ], int enc, unsigned char* ticket,
                      int in_bytes, int* out_bytes, void* ctx) {
  (void)ssl;
  auto* self = static_cast<TlsImpl*>(ctx);
  const ByteArray& key = self->ticket_key_;
  if (key.size() != kTicketKeyBytes) return WOLFSSL_TICKET_RET_REJECT;
  const unsigned char* name = uchars(key);  // a public 16 bytes: the key's first half hashed
  unsigned char expected_name[WOLFSSL_TICKET_NAME_SZ];
  for (int i = 0; i < WOLFSSL_TICKET_NAME_SZ; ++i)
    expected_name[i] = static_cast<unsigned char>(name[i] ^ name[i + 16] ^ 0x5c);
  unsigned char aad[WOLFSSL_TICKET_NAME_SZ + WOLFSSL_TICKET_IV_SZ + 2];
  if (enc) {
    std::memcpy(key_name, expected_name, sizeof expected_name);
    WC_RNG rng;
    if (wc_InitRng_ex(&rng, nullptr, deviceId()) != 0) return WOLFSSL_TICKET_RET_REJECT;
    const int drawn = wc_RNG_GenerateBlock(&rng, iv, WOLFSSL_TICKET_IV_SZ);
    wc_FreeRng(&rng);
    if (drawn != 0) return WOLFSSL_TICKET_RET_REJECT;
  } else if (std::memcmp(key_name, expected_name, sizeof expected_name) != 0) {
    return WOLFSSL_TICKET_RET_REJECT;  // another server's ticket: a full handshake
  }
  std::memcpy(aad, key_name, WOLFSSL_TICKET_NAME_SZ);
  std::memcpy(aad + WOLFSSL_TICKET_NAME_SZ, iv, WOLFSSL_TICKET_IV_SZ);
  aad[sizeof aad - 2] = static_cast<unsigned char>((in_bytes >> 8) & 0xff);
  aad[sizeof aad - 1] = static_cast<unsigned char>(in_bytes & 0xff);
  const auto length = static_cast<word32>(in_bytes);
  int ret;
  if (enc) {
    std::memset(mac, 0, WOLFSSL_TICKET_MAC_SZ);
    ret = wc_ChaCha20Poly1305_Encrypt(uchars(key), iv, aad, sizeof aad, ticket, length, ticket,
                                      mac);
  } else {
    ret = wc_ChaCha20Poly1305_Decrypt(uchars(key), iv, aad, sizeof aad, ticket, length, mac,
                                      ticket);
  }
  if (ret != 0) return WOLFSSL_TICKET_RET_REJECT;
  *out_bytes = in_bytes;
  return WOLFSSL_TICKET_RET_OK;
}

}  // namespace dtls::detail::wolf

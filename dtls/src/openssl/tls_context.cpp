#include "tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/core_names.h>

#include <algorithm>
#include <cstring>

#include "backend_config.h"
#include "configuration_access.h"
#include "cookie.h"
#include "server_dh_parameters.h"
#include "supported.h"

namespace dtls::detail {

namespace {

int hooksIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

TlsHooks* hooksOf(const SSL* ssl) {
  return static_cast<TlsHooks*>(SSL_get_ex_data(ssl, hooksIndex()));
}

// ---- Trampolines from OpenSSL's C callbacks to TlsHooks -------------------------------------

int verifyTrampoline(int ok, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  TlsHooks* hooks = ssl ? hooksOf(ssl) : nullptr;
  return hooks ? hooks->onVerify(ok, store) : ok;
}

unsigned pskClientTrampoline(SSL* ssl, const char* hint, char* identity,
                             unsigned max_identity_len, unsigned char* psk, unsigned max_psk_len) {
  TlsHooks* hooks = hooksOf(ssl);
  return hooks ? hooks->onPskClient(hint, identity, max_identity_len, psk, max_psk_len) : 0;
}

unsigned pskServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk,
                             unsigned max_psk_len) {
  TlsHooks* hooks = hooksOf(ssl);
  return hooks ? hooks->onPskServer(identity, psk, max_psk_len) : 0;
}

int newSessionTrampoline(SSL* ssl, SSL_SESSION* session) {
  if (TlsHooks* hooks = hooksOf(ssl)) hooks->onNewSession(session);
  return 0;  // the hook serialised what it needs; OpenSSL keeps ownership
}

void infoTrampoline(const SSL* ssl, int where, int ret) {
  if (TlsHooks* hooks = hooksOf(ssl)) hooks->onInfo(where, ret);
}

void keyLogTrampoline(const SSL* ssl, const char* line) {
  if (TlsHooks* hooks = hooksOf(ssl)) hooks->onKeyLog(line);
}

// The server's ALPN choice: its own most preferred protocol that the client also offers
// (RFC 7301 §3.2). With no overlap the extension is left out, and the client sees
// NextProtocolNegotiationUnsupported.
int alpnSelect(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* arg) {
  const auto* server_wire = static_cast<const std::string*>(arg);
  unsigned char* selected = nullptr;
  const int rc = SSL_select_next_proto(
      &selected, outlen, reinterpret_cast<const unsigned char*>(server_wire->data()),
      static_cast<unsigned>(server_wire->size()), in, inlen);
  if (rc != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// ---- Settings -----------------------------------------------------------------------------------

bool applyProtocol(SSL_CTX* ctx, SslProtocol protocol, std::string* error) {
  int min = 0;
  int max = 0;
  switch (protocol) {
    case SslProtocol::DtlsV1_0: min = max = DTLS1_VERSION; break;
    case SslProtocol::DtlsV1_0OrLater: min = DTLS1_VERSION; break;
    case SslProtocol::DtlsV1_2: min = max = DTLS1_2_VERSION; break;
    case SslProtocol::DtlsV1_2OrLater: min = DTLS1_2_VERSION; break;
    default:
      *error = std::string("protocol ") + toString(protocol) + " is not a DTLS protocol";
      return false;
  }
  if (SSL_CTX_set_min_proto_version(ctx, min) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, max) != 1) {
    *error = std::string("OpenSSL refused protocol ") + toString(protocol);
    return false;
  }
  return true;
}

uint64_t openSslOptions(const Configuration& config, bool server) {
  uint64_t options = SSL_OP_NO_QUERY_MTU;  // the connection sets the MTU itself
  // OpenSSL 3.0 fails a DTLS connection with a fatal bad_record_mac alert when an
  // encrypt-then-MAC (RFC 7366) record does not authenticate, where RFC 6347 §4.1.2.7 says to
  // drop it: one forged datagram would end a CBC connection. Without ETM the bad record is
  // dropped (in constant time). AEAD suites, the defaults, are not affected.
  options |= SSL_OP_NO_ENCRYPT_THEN_MAC;
  auto on = [&](SslOption o) { return config.testSslOption(o); };
  if (on(SslOption::SslOptionDisableCompression)) options |= SSL_OP_NO_COMPRESSION;
  if (on(SslOption::SslOptionDisableSessionTickets)) options |= SSL_OP_NO_TICKET;
  if (!on(SslOption::SslOptionDisableLegacyRenegotiation))
    options |= SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION;
  if (!on(SslOption::SslOptionDisableEmptyFragments))
    options |= SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS;
  if (server && !on(SslOption::SslOptionDisableServerCipherPreference))
    options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  if (server && config.dtlsCookieVerificationEnabled()) options |= SSL_OP_COOKIE_EXCHANGE;
  return options;
}

bool applyCiphersAndCurves(SSL_CTX* ctx, const Configuration& config, std::string* error) {
  const auto ciphers = config.ciphers();
  if (!ciphers.empty()) {
    const std::string list = cipherListString(ciphers);
    if (SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1) {
      *error = "no cipher suite of the configuration is usable for DTLS (" + list + ")";
      return false;
    }
  }
  const auto curves = config.ellipticCurves();
  if (!curves.empty()) {
    std::vector<int> nids;
    for (const auto& curve : curves) nids.push_back(curve.id());
    if (SSL_CTX_set1_groups(ctx, nids.data(), static_cast<int>(nids.size())) != 1) {
      *error = "OpenSSL refused the elliptic curve list";
      return false;
    }
  }
  return true;
}

bool applyDhParameters(SSL_CTX* ctx, const Configuration& config, std::string* error) {
  ByteArray der;
  if (!serverDhParameters(config, &der, error)) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* params = d2i_KeyParams(EVP_PKEY_DH, nullptr, &p, static_cast<long>(der.size()));
  if (params == nullptr || SSL_CTX_set0_tmp_dh_pkey(ctx, params) != 1) {
    EVP_PKEY_free(params);
    *error = "OpenSSL refused the Diffie-Hellman parameters";
    return false;
  }
  return true;  // the context owns `params` now
}

bool applyIdentity(SSL_CTX* ctx, const Configuration& config, std::string* error) {
  const auto chain = config.localCertificateChain();
  const Key key = config.privateKey();
  if (chain.empty()) return true;
  if (key.isNull()) {
    *error = "the local certificate '" + chain.front().subjectDisplayName() +
             "' has no private key";
    return false;
  }
  if (SSL_CTX_use_certificate(ctx, chain.front().handle()) != 1) {
    *error = "OpenSSL refused the local certificate: " + takeOpenSslError();
    return false;
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].handle()) != 1) {
      *error = "OpenSSL refused chain certificate " + std::to_string(i) + ": " +
               takeOpenSslError();
      return false;
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.handle()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    *error = "the private key does not match the local certificate '" +
             chain.front().subjectDisplayName() + "'";
    return false;
  }
  return true;
}

bool applyTrust(SSL_CTX* ctx, const Configuration& config, bool server, std::string* error) {
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr) {
    *error = "X509_STORE_new failed";
    return false;
  }
  for (const auto& ca : config.caCertificates()) {
    // A CA listed twice is harmless; OpenSSL 3.0 ignores the duplicate.
    if (!ca.isNull()) X509_STORE_add_cert(store, ca.handle());
  }
  ERR_clear_error();
  SSL_CTX_set_cert_store(ctx, store);  // the context owns the store

  PeerVerifyMode mode = config.peerVerifyMode();
  if (mode == PeerVerifyMode::AutoVerifyPeer)
    mode = server ? PeerVerifyMode::QueryPeer : PeerVerifyMode::VerifyPeer;
  int flags = SSL_VERIFY_NONE;
  if (mode != PeerVerifyMode::VerifyNone) {
    flags = SSL_VERIFY_PEER;
    if (server && mode == PeerVerifyMode::VerifyPeer && config.missingCertificateIsFatal())
      flags |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  SSL_CTX_set_verify(ctx, flags, flags == SSL_VERIFY_NONE ? nullptr : verifyTrampoline);
  if (config.peerVerifyDepth() > 0) SSL_CTX_set_verify_depth(ctx, config.peerVerifyDepth());
  return true;
}

bool applyAlpn(SSL_CTX* ctx, const Configuration& config, bool server, std::string* wire,
               std::string* error) {
  const auto protocols = config.allowedNextProtocols();
  if (protocols.empty()) return true;
  if (!encodeAlpn(protocols, wire, error)) return false;
  if (server) {
    SSL_CTX_set_alpn_select_cb(ctx, alpnSelect, wire);
  } else if (SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire->data()),
                                     static_cast<unsigned>(wire->size())) != 0) {  // 0 = ok
    *error = "OpenSSL refused the ALPN protocol list";
    return false;
  }
  return true;
}

// Session tickets (RFC 5077) with the connection's keys. Does what OpenSSL 3.0 does with keys
// set by SSL_CTX_set_tlsext_ticket_keys (construct_stateless_ticket, tls_decrypt_ticket:
// AES-256-CBC with a random IV drawn by RAND_bytes_ex, HMAC-SHA256), so the bytes and the
// randomness drawn are the same; only the keys come from the SSL, not the shared context.
int ticketKeyTrampoline(SSL* ssl, unsigned char key_name[16], unsigned char* iv,
                        EVP_CIPHER_CTX* cipher_ctx, EVP_MAC_CTX* hmac_ctx, int encrypt) {
  TlsHooks* hooks = hooksOf(ssl);
  const unsigned char* keys = hooks ? hooks->sessionTicketKeys() : nullptr;
  if (keys == nullptr) return 0;  // no ticket issued; a ticket offered is not decrypted
  static_assert(kTicketKeyBytes == 16 + 32 + 32);
  const unsigned char* name = keys;
  const unsigned char* hmac_key = keys + 16;
  const unsigned char* aes_key = keys + 48;
  OSSL_LIB_CTX* libctx = hooks->libraryContext();
  EVP_CIPHER* aes = EVP_CIPHER_fetch(libctx, "AES-256-CBC", nullptr);
  if (aes == nullptr) return -1;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  int ok = 0;
  if (encrypt) {
    std::memcpy(key_name, name, 16);
    ok = RAND_bytes_ex(libctx, iv, static_cast<size_t>(EVP_CIPHER_get_iv_length(aes)), 0) > 0 &&
         EVP_EncryptInit_ex(cipher_ctx, aes, nullptr, aes_key, iv) == 1 &&
         EVP_MAC_init(hmac_ctx, hmac_key, 32, params) == 1;
  } else {
    if (std::memcmp(key_name, name, 16) != 0) {
      EVP_CIPHER_free(aes);
      return 0;  // another server's ticket: a full handshake
    }
    ok = EVP_MAC_init(hmac_ctx, hmac_key, 32, params) == 1 &&
         EVP_DecryptInit_ex(cipher_ctx, aes, nullptr, aes_key, iv) == 1;
  }
  EVP_CIPHER_free(aes);
  return ok ? 1 : -1;
}

void installVerifierOptions(SSL_CTX* ctx) {
  // DTLSv1_listen needs cookie exchange on, and never gets as far as needing a certificate.
  SSL_CTX_set_options(ctx, SSL_OP_COOKIE_EXCHANGE | SSL_OP_NO_QUERY_MTU);
  installCookieCallbacks(ctx);
}

std::atomic<std::uint64_t> g_contexts_built{0};

// The ClientVerifiers' cache: they have no configuration, so one per process.
TlsContextCache& verifierContexts() {
  static auto* cache = new TlsContextCache();  // never destroyed: verifiers in static objects
  return *cache;
}

}  // namespace

void attachHooks(SSL* ssl, TlsHooks* hooks) { SSL_set_ex_data(ssl, hooksIndex(), hooks); }

void attachPskCallback(SSL* ssl, bool server) {
  if (server)
    SSL_set_psk_server_callback(ssl, pskServerTrampoline);
  else
    SSL_set_psk_client_callback(ssl, pskClientTrampoline);
}

bool deriveTicketKeys(OSSL_LIB_CTX* libctx, const GeneratorParameters& params,
                      unsigned char keys[kTicketKeyBytes]) {
  if (params.secret.empty()) return false;
  static const char kLabel[] = "dtlsim session ticket keys";
  unsigned char block[64];
  size_t len = 0;
  for (size_t done = 0, counter = 0; done < kTicketKeyBytes; ++counter) {
    const std::string input = std::string(kLabel) + static_cast<char>('0' + counter);
    if (EVP_Q_mac(libctx, "HMAC", nullptr, "SHA256", nullptr, params.secret.data(),
                  params.secret.size(), reinterpret_cast<const unsigned char*>(input.data()),
                  input.size(), block, sizeof block, &len) == nullptr) {
      ERR_clear_error();
      return false;
    }
    const size_t n = std::min(len, kTicketKeyBytes - done);
    std::memcpy(keys + done, block, n);
    done += n;
  }
  return true;
}

bool encodeAlpn(const std::vector<ByteArray>& protocols, std::string* wire, std::string* error) {
  wire->clear();
  for (const auto& protocol : protocols) {
    if (protocol.empty() || protocol.size() > 255) {
      *error = "ALPN protocol '" + protocol + "' must be 1 to 255 bytes long";
      return false;
    }
    wire->push_back(static_cast<char>(protocol.size()));
    wire->append(protocol);
  }
  return true;
}

SharedSslCtx buildTlsContext(const Configuration& config, const ContextOptions& options,
                             std::string* error) {
  const SSL_METHOD* method = options.server ? DTLS_server_method() : DTLS_client_method();
  OsslPtr<SSL_CTX> ctx(SSL_CTX_new_ex(options.libctx, nullptr, method));
  if (!ctx) {
    *error = "SSL_CTX_new failed: " + takeOpenSslError();
    return nullptr;
  }
  // The server's ALPN list (alpnSelect's argument) lives as long as the context: the returned
  // pointer's deleter owns it. (Not in the context's ex_data: OpenSSL 3.0 looks up ex_data free
  // functions in the context's library context, which did not register the index, so they
  // would never run for a simulated world's contexts.)
  auto alpn = std::make_shared<std::string>();
  std::string* alpn_wire = alpn.get();

  SSL_CTX_set_options(ctx.get(), openSslOptions(config, options.server));
  const bool ok =
      applyProtocol(ctx.get(), config.protocol(), error) &&
      applyCiphersAndCurves(ctx.get(), config, error) &&
      applyIdentity(ctx.get(), config, error) &&
      applyTrust(ctx.get(), config, options.server, error) &&
      applyAlpn(ctx.get(), config, options.server, alpn_wire, error) &&
      (!options.server || applyDhParameters(ctx.get(), config, error));
  if (!ok) {
    ERR_clear_error();
    return nullptr;
  }

  if (options.server) {
    installCookieCallbacks(ctx.get());
    const ByteArray hint = config.preSharedKeyIdentityHint();
    if (!hint.empty()) SSL_CTX_use_psk_identity_hint(ctx.get(), hint.c_str());
    // Resumption goes through tickets only; a per-connection session cache would never hit.
    SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
    // A server that requests certificates (QueryPeer, VerifyPeer) refuses to resume a session
    // without a session id context (SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED, a fatal alert to
    // the client). One fixed context for every server: the ticket keys already tie a ticket to
    // the servers that share the cookie parameters.
    static const unsigned char kSessionIdContext[] = "dtlsim";
    SSL_CTX_set_session_id_context(ctx.get(), kSessionIdContext, sizeof kSessionIdContext - 1);
    // Ticket keys are per server (derived from its cookie secret): the callback asks the SSL.
    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx.get(), ticketKeyTrampoline);
  } else {
    if (!config.testSslOption(SslOption::SslOptionDisableSessionPersistence)) {
      SSL_CTX_set_session_cache_mode(ctx.get(),
                                     SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
      SSL_CTX_sess_set_new_cb(ctx.get(), newSessionTrampoline);
    }
  }
  SSL_CTX_set_info_callback(ctx.get(), infoTrampoline);
  SSL_CTX_set_keylog_callback(ctx.get(), keyLogTrampoline);

  // Backend options come last so they can override every general setting (as documented).
  if (!applyBackendConfiguration(ctx.get(), config.backendConfiguration(), options.server,
                                 error)) {
    ERR_clear_error();
    return nullptr;
  }
  return SharedSslCtx(ctx.release(), [alpn](SSL_CTX* c) { SSL_CTX_free(c); });
}

std::uint64_t tlsContextsBuilt() { return g_contexts_built.load(); }

void drawAsContextBuild(OSSL_LIB_CTX* libctx) {
  // Sizes of ext.tick_key_name, ext.secure->tick_hmac_key, ->tick_aes_key, ext.cookie_hmac_key.
  unsigned char bytes[32];
  RAND_bytes_ex(libctx, bytes, 16, 0);
  RAND_priv_bytes_ex(libctx, bytes, 32, 0);
  RAND_priv_bytes_ex(libctx, bytes, 32, 0);
  RAND_priv_bytes_ex(libctx, bytes, 32, 0);
  OPENSSL_cleanse(bytes, sizeof bytes);
}

SharedSslCtx existingTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx) {
  const auto kind = server ? TlsContextCache::Kind::kServer : TlsContextCache::Kind::kClient;
  return ConfigurationAccess::tlsContexts(config).takeBack(kind, libctx);
}

SharedSslCtx existingVerifierContext(OSSL_LIB_CTX* libctx) {
  return verifierContexts().takeBack(TlsContextCache::Kind::kVerifier, libctx);
}

void parkTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx,
                    SharedSslCtx context) {
  if (!config.localCertificateChain().empty() || !config.privateKey().isNull() ||
      !config.caCertificates().empty())
    return;
  const auto kind = server ? TlsContextCache::Kind::kServer : TlsContextCache::Kind::kClient;
  ConfigurationAccess::tlsContexts(config).park(kind, libctx, context);
}

void parkVerifierContext(OSSL_LIB_CTX* libctx, SharedSslCtx context) {
  verifierContexts().park(TlsContextCache::Kind::kVerifier, libctx, context);
}

SharedSslCtx sharedTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx,
                              std::string* error) {
  const auto kind = server ? TlsContextCache::Kind::kServer : TlsContextCache::Kind::kClient;
  return ConfigurationAccess::tlsContexts(config).get(
      kind, libctx,
      [&](std::string* why) {
        ContextOptions options;
        options.server = server;
        options.libctx = libctx;
        ++g_contexts_built;
        return buildTlsContext(config, options, why);
      },
      error);
}

SharedSslCtx sharedVerifierContext(OSSL_LIB_CTX* libctx, std::string* error) {
  return verifierContexts().get(
      TlsContextCache::Kind::kVerifier, libctx,
      [libctx](std::string* why) {
        ++g_contexts_built;
        SharedSslCtx ctx(SSL_CTX_new_ex(libctx, nullptr, DTLS_server_method()), SSL_CTX_free);
        if (!ctx) {
          *why = "SSL_CTX_new failed: " + takeOpenSslError();
          return SharedSslCtx();
        }
        installVerifierOptions(ctx.get());
        return ctx;
      },
      error);
}

}  // namespace dtls::detail

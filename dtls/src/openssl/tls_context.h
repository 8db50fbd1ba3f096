// Private: turns a Configuration into an OpenSSL SSL_CTX for one DTLS connection, and routes
// OpenSSL's per-connection callbacks (certificate verification, PSK, ALPN, session tickets,
// alerts) to the object attached to each SSL.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dtls/configuration.h"
#include "dtls/cookie.h"
#include "ossl_ptr.h"

namespace dtls::detail {

// What OpenSSL's callbacks reach. Implemented by the connection; attached with attachHooks().
class TlsHooks {
 public:
  virtual ~TlsHooks() = default;
  // X509 verification callback: returns what OpenSSL should do (1 continue, 0 abort).
  virtual int onVerify(int preverify_ok, X509_STORE_CTX* store) = 0;
  // PSK (RFC 4279). Return the key length written, 0 to fail the handshake.
  virtual unsigned onPskClient(const char* hint, char* identity, unsigned max_identity_len,
                               unsigned char* psk, unsigned max_psk_len) = 0;
  virtual unsigned onPskServer(const char* identity, unsigned char* psk, unsigned max_psk_len) = 0;
  // A new session to keep for resumption (client side).
  virtual void onNewSession(SSL_SESSION* session) = 0;
  // SSL_set_info_callback events (alerts read and written, handshake progress).
  virtual void onInfo(int where, int ret) = 0;
  // One NSS key log line (SSL_CTX_set_keylog_callback).
  virtual void onKeyLog(const char* line) = 0;
  // Servers: the 80 session-ticket key bytes of this connection (16-byte name, 32-byte HMAC
  // key, 32-byte AES key, the layout of SSL_CTX_set_tlsext_ticket_keys), or null for none.
  virtual const unsigned char* sessionTicketKeys() = 0;
  // The library context the connection draws randomness from (that of its SSL_CTX).
  virtual OSSL_LIB_CTX* libraryContext() const = 0;
};

inline constexpr std::size_t kTicketKeyBytes = 80;

void attachHooks(SSL* ssl, TlsHooks* hooks);

// What differs between connections sharing one SSL_CTX goes on the SSL: the PSK callbacks
// (a connection offers PSK suites only when its application can answer, RFC 4279).
void attachPskCallback(SSL* ssl, bool server);

// The session-ticket keys a server derives from its cookie secret: every Connection of a
// server shares its cookie parameters with its ClientVerifier, so all of them can decrypt each
// other's tickets without any process-wide state. False if the secret is empty or HMAC fails.
bool deriveTicketKeys(OSSL_LIB_CTX* libctx, const GeneratorParameters& params,
                      unsigned char keys[kTicketKeyBytes]);

struct ContextOptions {
  bool server = false;
  OSSL_LIB_CTX* libctx = nullptr;
};

// Draws from `libctx` exactly what SSL_CTX_new_ex draws (OpenSSL 3.0: the default session
// ticket key name, HMAC and AES keys, and the cookie HMAC key, in that order and size), for a
// reused context to leave a seeded random stream where building it would have.
void drawAsContextBuild(OSSL_LIB_CTX* libctx);

// Builds the SSL_CTX. Returns null with `error` saying which setting OpenSSL refused, e.g.
// "protocol TlsV1_2 is not a DTLS protocol" or "the private key does not match the local
// certificate". Never leaves errors on OpenSSL's queue. Everything in it derives from
// `config`, the mode and the library context: per-connection things (hooks, PSK callbacks,
// ticket keys, cookie peer, BIO, MTU, verification name) are set on each SSL, so connections
// may share the context (TlsContextCache).
// An SSL_CTX shared by its users (SSL_CTX_free when the last one lets go).
using SharedSslCtx = std::shared_ptr<SSL_CTX>;

SharedSslCtx buildTlsContext(const Configuration& config, const ContextOptions& options,
                             std::string* error);

// The SSL_CTXs built from one configuration data (Configuration::Data holds one cache; the
// ClientVerifiers have a process-wide one), one per (kind, library context). The cache holds
// them weakly: a context lives while a Connection, ClientVerifier or TlsContextPin uses it (or
// while parked, until a pin takes it back), so the cache never keeps an SSL_CTX past its
// library context (whose address a later context could reuse). Thread-safe: a Configuration's data may be shared by threads.
// A copy is empty: Configuration::Data is copied on a write, and the copy has other settings.
class TlsContextCache {
 public:
  enum class Kind { kClient, kServer, kVerifier };

  TlsContextCache() = default;
  TlsContextCache(const TlsContextCache&) {}
  TlsContextCache& operator=(const TlsContextCache&) {
    clear();
    return *this;
  }

  // The live context of (kind, libctx), or one made by `build` (null: `error` says why; the
  // failure is not cached). A parked context without users is taken as if built again: the
  // taker draws what its build drew.
  template <typename Build>
  SharedSslCtx get(Kind kind, OSSL_LIB_CTX* libctx, Build&& build, std::string* error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (Entry* entry = find(kind, libctx)) return take(*entry);
    SharedSslCtx built = build(error);
    if (!built) return nullptr;
    SharedSslCtx users = handOut(built);
    entries_.push_back({kind, libctx, users, built, nullptr});
    return users;
  }
  // get() without building: null if (kind, libctx) has no live or parked context. Ends the
  // parking (TlsContextPin::IfNone::kPinNothing).
  SharedSslCtx takeBack(Kind kind, OSSL_LIB_CTX* libctx) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find(kind, libctx);
    if (entry == nullptr) return nullptr;
    SharedSslCtx users = take(*entry);
    entry->parked.reset();
    return users;
  }
  // Keeps `context`, a live context of this cache, after its users are gone (TlsContextPin::park):
  // each get() that finds it without users takes it again and draws what building it drew.
  // Does nothing if the cache no longer lists it (its settings changed).
  void park(Kind kind, OSSL_LIB_CTX* libctx, const SharedSslCtx& context) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find(kind, libctx);
    if (entry != nullptr && entry->users.lock() == context) entry->parked = entry->owner.lock();
  }
  // Forgets every context (users keep theirs): the settings they were built from changed.
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
  }

 private:
  // Users share one handle per acquisition; the handle holds the owner, which frees the SSL_CTX,
  // so that a parked owner outlives its users and the cache sees when they are all gone.
  struct Entry {
    Kind kind;
    OSSL_LIB_CTX* libctx;
    std::weak_ptr<SSL_CTX> users;
    std::weak_ptr<SSL_CTX> owner;
    SharedSslCtx parked;  // the owner while parked
  };
  static SharedSslCtx handOut(SharedSslCtx owner) {
    SSL_CTX* raw = owner.get();
    // Released when the last user goes, not when the cache's weak reference does.
    return SharedSslCtx(raw, [owner = std::move(owner)](SSL_CTX*) mutable { owner.reset(); });
  }
  // The entry of (kind, libctx), forgetting those without users or parking.
  Entry* find(Kind kind, OSSL_LIB_CTX* libctx) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->users.expired() && !it->parked) {
        it = entries_.erase(it);
        continue;
      }
      if (it->kind == kind && it->libctx == libctx) return &*it;
      ++it;
    }
    return nullptr;
  }
  static SharedSslCtx take(Entry& entry) {
    if (SharedSslCtx live = entry.users.lock()) return live;
    drawAsContextBuild(entry.libctx);  // parked without users: as if built again
    SharedSslCtx users = handOut(entry.parked);
    entry.users = users;
    return users;
  }
  std::mutex mutex_;
  std::vector<Entry> entries_;  // a few: one per mode and library context in use
};

// How many SSL_CTXs sharedTlsContext and sharedVerifierContext built in this process (tests).
std::uint64_t tlsContextsBuilt();

// The shared context of a Connection in `server` or client mode with `config` on `libctx`.
SharedSslCtx sharedTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx,
                              std::string* error);
// The shared context of the ClientVerifiers on `libctx` (DTLSv1_listen only).
SharedSslCtx sharedVerifierContext(OSSL_LIB_CTX* libctx, std::string* error);

// The context sharedTlsContext or sharedVerifierContext would return if it is live or parked,
// or null: never builds one. Ends its parking (TlsContextCache::takeBack).
SharedSslCtx existingTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx);
SharedSslCtx existingVerifierContext(OSSL_LIB_CTX* libctx);

// Parks a context a TlsContextPin held (TlsContextPin::park). A context built from a
// configuration with a private key or certificates is dropped instead: a key carries state
// that draws randomness (an RSA key's blinding), so a context reused by a later seeded run
// would shift that run's random stream.
void parkTlsContext(const Configuration& config, bool server, OSSL_LIB_CTX* libctx,
                    SharedSslCtx context);
void parkVerifierContext(OSSL_LIB_CTX* libctx, SharedSslCtx context);

// The ALPN wire format (RFC 7301 §3.1): each protocol prefixed by its length. Protocols that
// are empty or longer than 255 bytes cannot be encoded: returns false naming the first one.
bool encodeAlpn(const std::vector<ByteArray>& protocols, std::string* wire, std::string* error);

}  // namespace dtls::detail

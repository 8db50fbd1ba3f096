#include "scenarios/sim_rand.h"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "simnet/prng.h"

namespace scenarios {

struct SeededLibraryContext::Stream : dtls::RandomSource {
  explicit Stream(std::uint64_t s) : seed(s), prng(start(s)) {}
  static simnet::Prng start(std::uint64_t s) { return simnet::Prng::forStream(s, "openssl:rand"); }
  std::uint64_t seed;
  simnet::Prng prng;
  std::uint64_t bytes_generated = 0;

  void fill(unsigned char* out, size_t len) override {
    bytes_generated += len;
    while (len > 0) {
      const std::uint64_t word = prng.next();
      const size_t n = len < 8 ? len : 8;
      std::memcpy(out, &word, n);  // little-endian hosts only; x86-64 and arm64 both are
      out += n;
      len -= n;
    }
  }
};

namespace {

// The stream handed to the provider while it is being loaded. The provider's init runs inside
// OSSL_PROVIDER_try_load on this thread, so a thread-local hand-over needs no global registry.
thread_local SeededLibraryContext::Stream* t_loading_stream = nullptr;

constexpr char kProviderName[] = "simrand";
constexpr unsigned kStrength = 256;
constexpr size_t kMaxRequest = 1 << 16;

// One DRBG instance (OpenSSL makes a primary, a public and a private one): all draw from the
// world's single stream, in call order.
struct DrbgCtx {
  SeededLibraryContext::Stream* stream;
  int state = EVP_RAND_STATE_UNINITIALISED;
};

void* drbgNew(void* provctx, void* /*parent*/, const OSSL_DISPATCH* /*parent_calls*/) {
  return new DrbgCtx{static_cast<SeededLibraryContext::Stream*>(provctx)};
}
void drbgFree(void* vctx) { delete static_cast<DrbgCtx*>(vctx); }

int drbgInstantiate(void* vctx, unsigned int /*strength*/, int /*prediction_resistance*/,
                    const unsigned char* /*pstr*/, size_t /*pstr_len*/,
                    const OSSL_PARAM* /*params*/) {
  static_cast<DrbgCtx*>(vctx)->state = EVP_RAND_STATE_READY;
  return 1;
}
int drbgUninstantiate(void* vctx) {
  static_cast<DrbgCtx*>(vctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}
int drbgGenerate(void* vctx, unsigned char* out, size_t outlen, unsigned int /*strength*/,
                 int /*prediction_resistance*/, const unsigned char* /*adin*/,
                 size_t /*adin_len*/) {
  static_cast<DrbgCtx*>(vctx)->stream->fill(out, outlen);
  return 1;
}
// Reseeding is a no-op: the stream is the seed.
int drbgReseed(void*, int, const unsigned char*, size_t, const unsigned char*, size_t) {
  return 1;
}
int drbgEnableLocking(void*) { return 1; }  // a world is single-threaded
int drbgLock(void*) { return 1; }
void drbgUnlock(void*) {}

const OSSL_PARAM* drbgGettableCtxParams(void*, void*) {
  static const OSSL_PARAM params[] = {
      OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
      OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr), OSSL_PARAM_END};
  return params;
}

int drbgGetCtxParams(void* vctx, OSSL_PARAM params[]) {
  const auto* ctx = static_cast<DrbgCtx*>(vctx);
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (p != nullptr && !OSSL_PARAM_set_int(p, ctx->state)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, kStrength)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (p != nullptr && !OSSL_PARAM_set_size_t(p, kMaxRequest)) return 0;
  return 1;
}

template <typename F>
void (*fn(F* f))(void) {
  return reinterpret_cast<void (*)(void)>(f);
}

const OSSL_DISPATCH kDrbgFunctions[] = {
    {OSSL_FUNC_RAND_NEWCTX, fn(drbgNew)},
    {OSSL_FUNC_RAND_FREECTX, fn(drbgFree)},
    {OSSL_FUNC_RAND_INSTANTIATE, fn(drbgInstantiate)},
    {OSSL_FUNC_RAND_UNINSTANTIATE, fn(drbgUninstantiate)},
    {OSSL_FUNC_RAND_GENERATE, fn(drbgGenerate)},
    {OSSL_FUNC_RAND_RESEED, fn(drbgReseed)},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, fn(drbgEnableLocking)},
    {OSSL_FUNC_RAND_LOCK, fn(drbgLock)},
    {OSSL_FUNC_RAND_UNLOCK, fn(drbgUnlock)},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, fn(drbgGettableCtxParams)},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, fn(drbgGetCtxParams)},
    {0, nullptr}};

const OSSL_ALGORITHM kRandAlgorithms[] = {
    {kProviderName, "provider=simrand", kDrbgFunctions, "dtlsim seeded DRBG"},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ALGORITHM* providerQuery(void* /*provctx*/, int operation_id, int* no_cache) {
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? kRandAlgorithms : nullptr;
}

const OSSL_DISPATCH kProviderFunctions[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, fn(providerQuery)}, {0, nullptr}};

int providerInit(const OSSL_CORE_HANDLE* /*handle*/, const OSSL_DISPATCH* /*in*/,
                 const OSSL_DISPATCH** out, void** provctx) {
  if (t_loading_stream == nullptr) return 0;  // only loadable through create()
  *provctx = t_loading_stream;
  *out = kProviderFunctions;
  return 1;
}

}  // namespace

struct SeededLibraryContext::Core {
  std::unique_ptr<Stream> stream;
  OSSL_LIB_CTX* libctx = nullptr;
  OSSL_PROVIDER* default_provider = nullptr;
  OSSL_PROVIDER* rand_provider = nullptr;

  ~Core() {
    if (default_provider != nullptr) OSSL_PROVIDER_unload(default_provider);
    if (rand_provider != nullptr) OSSL_PROVIDER_unload(rand_provider);
    OSSL_LIB_CTX_free(libctx);
  }

  static std::unique_ptr<Core> build(std::uint64_t seed, std::string* error) {
    auto c = std::make_unique<Core>();
    c->stream = std::make_unique<Stream>(seed);
    c->libctx = OSSL_LIB_CTX_new();
    auto failed = [&](const char* step) {
      *error = std::string("seeded OpenSSL context: ") + step + " failed";
      ERR_clear_error();
      return nullptr;
    };
    if (c->libctx == nullptr) return failed("OSSL_LIB_CTX_new");
    if (OSSL_PROVIDER_add_builtin(c->libctx, kProviderName, providerInit) != 1)
      return failed("OSSL_PROVIDER_add_builtin");
    // The DRBG type must be chosen before anything draws from the context.
    if (RAND_set_DRBG_type(c->libctx, kProviderName, nullptr, nullptr, nullptr) != 1)
      return failed("RAND_set_DRBG_type");
    t_loading_stream = c->stream.get();
    c->rand_provider = OSSL_PROVIDER_try_load(c->libctx, kProviderName, 1);
    t_loading_stream = nullptr;
    if (c->rand_provider == nullptr) return failed("loading the simrand provider");
    c->default_provider = OSSL_PROVIDER_load(c->libctx, "default");
    if (c->default_provider == nullptr) return failed("loading the default provider");
    return c;
  }
};

namespace {

// This thread's idle contexts, newest last. Freed at thread exit (thread_local destructors run
// before OpenSSL's own thread and process cleanup).
struct IdleCores {
  std::vector<std::unique_ptr<SeededLibraryContext::Core>> cores;
  ~IdleCores();
};

// Set once this thread's idle list is destroyed. A context destroyed later (one held by a static
// object: statics are destroyed after the main thread's thread_locals) frees its core instead of
// touching the destroyed list; whoever holds it that long must know OpenSSL's process cleanup
// may have run by then (fuzz/fixture.cpp keeps its contexts for good instead). A bool has no
// destructor, so it stays readable until the thread ends.
thread_local bool t_idle_gone = false;

IdleCores::~IdleCores() { t_idle_gone = true; }

// Null once the list is gone.
std::vector<std::unique_ptr<SeededLibraryContext::Core>>* idleCores() {
  if (t_idle_gone) return nullptr;
  thread_local IdleCores idle;
  return &idle.cores;
}

}  // namespace

SeededLibraryContext::SeededLibraryContext(std::unique_ptr<Core> core) : core_(std::move(core)) {}

std::unique_ptr<SeededLibraryContext> SeededLibraryContext::create(std::uint64_t seed,
                                                                   std::string* error) {
  auto* idle = idleCores();
  std::unique_ptr<Core> core;
  if (idle != nullptr && !idle->empty()) {
    core = std::move(idle->back());
    idle->pop_back();
    *core->stream = Stream(seed);
  } else {
    core = Core::build(seed, error);
    if (!core) return nullptr;
  }
  return std::unique_ptr<SeededLibraryContext>(new SeededLibraryContext(std::move(core)));
}

SeededLibraryContext::~SeededLibraryContext() {
  auto* idle = idleCores();
  if (idle != nullptr && idle->size() < kMaxIdlePerThread) idle->push_back(std::move(core_));
}

OSSL_LIB_CTX* SeededLibraryContext::get() const { return core_->libctx; }

dtls::RandomSource* SeededLibraryContext::randomSource() const { return core_->stream.get(); }

std::uint64_t SeededLibraryContext::bytesGenerated() const {
  return core_->stream->bytes_generated;
}

std::size_t SeededLibraryContext::idleOnThisThread() {
  const auto* idle = idleCores();
  return idle != nullptr ? idle->size() : 0;
}


void SeededLibraryContext::rewind() { *core_->stream = Stream(core_->stream->seed); }

}  // namespace scenarios

#include "backend_config.h"

#include <openssl/err.h>

#include "ossl_ptr.h"

namespace dtls::detail {

bool applyBackendConfiguration(SSL_CTX* ctx, const std::map<ByteArray, ByteArray>& options,
                               bool server, std::string* error) {
  if (options.empty()) return true;
  OsslPtr<SSL_CONF_CTX> cctx(SSL_CONF_CTX_new());
  if (!cctx) {
    *error = "backend configuration: SSL_CONF_CTX_new failed";
    return false;
  }
  // FILE syntax ("MinProtocol", not "-min_protocol") is what the reference documents;
  // CERTIFICATE allows certificate/key commands too.
  SSL_CONF_CTX_set_flags(cctx.get(), SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_CERTIFICATE |
                                         SSL_CONF_FLAG_SHOW_ERRORS |
                                         (server ? SSL_CONF_FLAG_SERVER : SSL_CONF_FLAG_CLIENT));
  SSL_CONF_CTX_set_ssl_ctx(cctx.get(), ctx);

  for (const auto& [name, value] : options) {
    const int rc = SSL_CONF_cmd(cctx.get(), name.c_str(), value.c_str());
    if (rc == -2) {
      ERR_clear_error();
      *error = "backend configuration: unknown option '" + name + "'";
      return false;
    }
    if (rc <= 0) {
      const std::string why = takeOpenSslError();
      *error = "backend configuration: option '" + name + "' rejected value '" + value + "'" +
               (why.empty() ? "" : " (" + why + ")");
      return false;
    }
  }
  if (SSL_CONF_CTX_finish(cctx.get()) != 1) {
    *error = "backend configuration: " + takeOpenSslError();
    return false;
  }
  return true;
}

}  // namespace dtls::detail

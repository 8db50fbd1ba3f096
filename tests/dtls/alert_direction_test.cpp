#include <gtest/gtest.h>

#include "support/backend_param.h"
#include "support/dtls_pair.h"

namespace dtls {
namespace {

class AlertDirectionTest : public test::BackendTest {};

// The client refuses the server's certificate while OpenSSL verifies it (interrupt on error),
// so the client *sends* the fatal alert; its error must not blame the peer, and the server's
// error must name the alert it received.
TEST_P(AlertDirectionTest, LocallySentAlertIsNotBlamedOnThePeer) {
  Configuration client_config = test::DtlsPair::clientConfig();
  client_config.setCaCertificates({test::loadCert("self-signed.pem")});  // does not trust ours
  client_config.setHandshakeMustInterruptOnError(true);
  test::DtlsPair p(client_config);
  EXPECT_FALSE(p.handshake());
  EXPECT_EQ(p.client.dtlsErrorString().find("the peer sent"), std::string::npos)
      << p.client.dtlsErrorString();
  EXPECT_NE(p.server.dtlsErrorString().find("the peer sent fatal"), std::string::npos)
      << p.server.dtlsErrorString();
}

DTLSIM_INSTANTIATE_FOR_BACKENDS(AlertDirectionTest);

}  // namespace
}  // namespace dtls

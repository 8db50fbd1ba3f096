#include "backend_config.h"

#include <gtest/gtest.h>

#include "ossl_ptr.h"

namespace dtls::detail {
namespace {

class BackendConfigTest : public ::testing::Test {
 protected:
  OsslPtr<SSL_CTX> ctx_{SSL_CTX_new(DTLS_method())};
  std::string error_;
};

TEST_F(BackendConfigTest, EmptyOptionsChangeNothing) {
  EXPECT_TRUE(applyBackendConfiguration(ctx_.get(), {}, false, &error_));
  EXPECT_EQ(error_, "");
}

TEST_F(BackendConfigTest, KnownOptionIsApplied) {
  ASSERT_TRUE(applyBackendConfiguration(ctx_.get(), {{"MinProtocol", "DTLSv1.2"}}, false,
                                        &error_))
      << error_;
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx_.get()), DTLS1_2_VERSION);
}

TEST_F(BackendConfigTest, OptionsFlagsAreApplied) {
  ASSERT_TRUE(applyBackendConfiguration(ctx_.get(), {{"Options", "-SessionTicket"}}, true,
                                        &error_))
      << error_;
  EXPECT_NE(SSL_CTX_get_options(ctx_.get()) & SSL_OP_NO_TICKET, 0u);
}

TEST_F(BackendConfigTest, UnknownOptionIsNamed) {
  EXPECT_FALSE(applyBackendConfiguration(ctx_.get(), {{"NoSuchThing", "1"}}, false, &error_));
  EXPECT_EQ(error_, "backend configuration: unknown option 'NoSuchThing'");
}

TEST_F(BackendConfigTest, RejectedValueIsNamedWithItsValue) {
  EXPECT_FALSE(applyBackendConfiguration(ctx_.get(), {{"MinProtocol", "DTLSv9"}}, false,
                                         &error_));
  EXPECT_NE(error_.find("option 'MinProtocol' rejected value 'DTLSv9'"), std::string::npos)
      << error_;
}

TEST_F(BackendConfigTest, FirstFailingOptionInNameOrderIsReported) {
  EXPECT_FALSE(applyBackendConfiguration(
      ctx_.get(), {{"ZzUnknown", "1"}, {"AaUnknown", "1"}, {"MinProtocol", "DTLSv1.2"}}, false,
      &error_));
  EXPECT_EQ(error_, "backend configuration: unknown option 'AaUnknown'");
}

}  // namespace
}  // namespace dtls::detail

#include "pactum/http/listen_address.h"

#include <gtest/gtest.h>

namespace pactum::http {
namespace {

TEST(ListenAddressTest, ParsesHostAndPort) {
  const auto address = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(address.has_value());
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 8080);

  const auto any_port = parse_listen_address("localhost:0");
  ASSERT_TRUE(any_port.has_value());
  EXPECT_EQ(any_port->port, 0);

  const auto v6 = parse_listen_address("[::1]:65535");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
}

TEST(ListenAddressTest, RejectsMalformed) {
  for (const char* bad : {"", "8080", "127.0.0.1", "127.0.0.1:", ":8080", "host:65536", "host:-1",
                          "host:80x", "::1:80", "[::1]", "[]:80", "[::1:80"}) {
    EXPECT_FALSE(parse_listen_address(bad).has_value()) << bad;
  }
}

TEST(ListenAddressTest, FormatsUrls) {
  EXPECT_EQ(format_http_url("127.0.0.1", 8080), "http://127.0.0.1:8080");
  EXPECT_EQ(format_http_url("::1", 80), "http://[::1]:80");
}

}  // namespace
}  // namespace pactum::http

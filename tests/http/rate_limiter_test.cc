// The per-address limiter of public routes: a fixed window per address, a bounded table.
#include "pactum/http/rate_limiter.h"

#include <gtest/gtest.h>

namespace pactum::http {
namespace {

using namespace std::chrono_literals;

class RateLimiterTest : public ::testing::Test {
 protected:
  RateLimiterOptions options(std::uint32_t limit, std::size_t max_addresses = 100) {
    return {.limit = limit, .window = 60s, .max_addresses = max_addresses, .now = [this] {
              return now_;
            }};
  }
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
};

TEST_F(RateLimiterTest, AllowsTheLimitPerWindowThenRefusesUntilItEnds) {
  RateLimiter limiter(options(3));
  EXPECT_TRUE(limiter.allow("10.0.0.1"));
  EXPECT_TRUE(limiter.allow("10.0.0.1"));
  EXPECT_TRUE(limiter.allow("10.0.0.1"));
  EXPECT_FALSE(limiter.allow("10.0.0.1"));
  EXPECT_TRUE(limiter.allow("10.0.0.2"));  // addresses are counted apart
  now_ += 59s;
  EXPECT_FALSE(limiter.allow("10.0.0.1"));
  now_ += 1s;
  EXPECT_TRUE(limiter.allow("10.0.0.1"));  // a new window
}

TEST_F(RateLimiterTest, TheTableStaysBounded) {
  RateLimiter limiter(options(5, 2));
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("b"));
  EXPECT_FALSE(limiter.allow("c"));  // full, and both windows still run
  EXPECT_TRUE(limiter.allow("a"));   // known addresses go on
  now_ += 60s;
  EXPECT_TRUE(limiter.allow("c"));  // ended windows made room
}

TEST_F(RateLimiterTest, MiddlewareAnswers429WithRetryAfter) {
  RateLimiter limiter(options(1));
  const Middleware middleware = limiter.middleware();
  Request request{boost::beast::http::verb::post, "/api/v1/verify", 11};
  RequestContext context;
  context.client_address = "192.0.2.7";
  EXPECT_FALSE(middleware(request, context).has_value());
  const std::optional<Response> refused = middleware(request, context);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), Status::too_many_requests);
  EXPECT_EQ((*refused)[boost::beast::http::field::retry_after], "60");
  EXPECT_NE(refused->body().find("\"rate_limited\""), std::string::npos);
}

}  // namespace
}  // namespace pactum::http

#include "pactum/domain/login_throttle.h"

#include <gtest/gtest.h>

namespace pactum::domain {
namespace {

TEST(LoginThrottle, LocksAtTheLimitAndUnlocksAfterTheLockout) {
  const ThrottlePolicy policy;
  ThrottleRecord record;
  const std::int64_t t0 = 1000000;
  for (std::uint32_t i = 1; i < policy.max_account_failures; ++i) {
    record = after_failure(record, t0 + i, policy.max_account_failures, policy);
    EXPECT_FALSE(is_blocked(record, t0 + i));
    EXPECT_EQ(record.failures, i);
  }
  record = after_failure(record, t0 + 10, policy.max_account_failures, policy);
  EXPECT_TRUE(is_blocked(record, t0 + 10));
  EXPECT_TRUE(is_blocked(record, t0 + 10 + policy.lockout.count() - 1));
  EXPECT_FALSE(is_blocked(record, t0 + 10 + policy.lockout.count()));
}

TEST(LoginThrottle, WindowRestartsTheCount) {
  const ThrottlePolicy policy;
  ThrottleRecord record;
  record = after_failure(record, 100, 5, policy);
  record = after_failure(record, 101, 5, policy);
  EXPECT_EQ(record.failures, 2U);
  record = after_failure(record, 100 + policy.window.count(), 5, policy);
  EXPECT_EQ(record.failures, 1U);
  EXPECT_EQ(record.window_start, 100 + policy.window.count());
}

}  // namespace
}  // namespace pactum::domain

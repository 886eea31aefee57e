#include "pactum/domain/memory_nonce_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "concurrent_spends.h"

namespace pactum::domain {
namespace {

constexpr std::int64_t kNow = 1767225600;
constexpr std::int64_t kRetention = kNonceRetention.count();

std::string nonce(int n) { return "nonce-" + std::to_string(1000000 + n); }

TEST(MemoryNonceStoreTest, SpendsEachNonceOncePerApp) {
  MemoryNonceStore store;
  ASSERT_TRUE(store.spend("app_a", nonce(1), kNow, kNow));
  auto again = store.spend("app_a", nonce(1), kNow, kNow + 599);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_b", nonce(1), kNow, kNow)) << "another app's nonce";
  EXPECT_TRUE(store.spend("app_a", nonce(2), kNow, kNow));
  // "app_a" + "\n" + nonce cannot be forged from another split of the same characters.
  EXPECT_TRUE(store.spend("app_a\nnonce", "x1000001", kNow, kNow));
}

TEST(MemoryNonceStoreTest, LiveForTheRetentionThenSwept) {
  MemoryNonceStore store;
  constexpr std::int64_t kKept = kRetention;
  ASSERT_TRUE(store.spend("app_a", nonce(1), kNow, kNow));
  auto at_end = store.spend("app_a", nonce(1), kNow + 10, kNow + kKept);
  ASSERT_FALSE(at_end) << "live while now <= timestamp + retention";
  EXPECT_EQ(at_end.error().code, DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_a", nonce(1), kNow + kKept, kNow + kKept + 1))
      << "expired: free again";
  for (int i = 2; i < 200; ++i) {
    ASSERT_TRUE(store.spend("app_a", nonce(i), kNow + 1, kNow + 1));
  }
  EXPECT_EQ(store.size(), 199U);
  // Past every expiry but nonce(1)'s second spend, each shard sweeps on its next use; a spend in
  // every shard leaves only live entries.
  for (int i = 1000; i < 3000; ++i) {
    ASSERT_TRUE(store.spend("app_b", nonce(i), kNow + kKept + 10, kNow + kKept + 10));
  }
  EXPECT_EQ(store.size(), 2001U) << "app_b's nonces and app_a's re-spent one remain";
}

TEST(MemoryNonceStoreTest, RefusesRequestsSignedBeforeItsMemoryBegan) {
  // A restarted SQLite node: it cannot know what its previous run accepted.
  MemoryNonceStore store(MemoryNonceStore::kDefaultCapacity, kNow);
  auto before = store.spend("app_a", nonce(1), kNow - 1, kNow + 5);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, DomainErrorCode::kExpired);
  EXPECT_TRUE(store.spend("app_a", nonce(1), kNow, kNow + 5));
}

TEST(MemoryNonceStoreTest, FullStoreRefusesInsteadOfEvicting) {
  // 64 shards of one entry each.
  MemoryNonceStore store(64);
  std::vector<std::string> accepted;
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    auto spent = store.spend("app_a", nonce(i), kNow, kNow);
    if (spent) {
      accepted.push_back(nonce(i));
    } else {
      ASSERT_EQ(spent.error().code, DomainErrorCode::kRateLimited) << spent.error().message;
      ++refused;
    }
  }
  EXPECT_LE(accepted.size(), 64U);
  EXPECT_GT(refused, 0);
  // Nothing accepted was forgotten: every one of them is still a replay, even after the flood.
  for (const std::string& n : accepted) {
    auto replay = store.spend("app_a", n, kNow, kNow + 1);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, DomainErrorCode::kReplayed);
  }
  // Once the window has passed, the space comes back.
  EXPECT_TRUE(store.spend("app_a", nonce(5000), kNow + kRetention + 1, kNow + kRetention + 1));
}

TEST(MemoryNonceStoreTest, ConcurrentSpendsOfOneNonceAcceptExactlyOne) {
  MemoryNonceStore store;
  constexpr int kThreads = 8;
  for (int round = 0; round < 200; ++round) {
    const auto outcome = testing::spend_concurrently(
        kThreads, [&](int) { return store.spend("app_a", nonce(round), kNow, kNow); });
    ASSERT_EQ(outcome.accepted, 1) << "round " << round;
    ASSERT_EQ(outcome.replayed, kThreads - 1) << "round " << round;
  }
}

}  // namespace
}  // namespace pactum::domain

#include "pactum/domain/memory_nonce_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace pactum::domain {
namespace {

constexpr std::int64_t kNow = 1767225600;

std::string nonce(int n) { return "nonce-" + std::to_string(1000000 + n); }

TEST(MemoryNonceStoreTest, SpendsEachNonceOncePerApp) {
  MemoryNonceStore store;
  ASSERT_TRUE(store.spend("app_a", nonce(1), kNow + 600, kNow));
  auto again = store.spend("app_a", nonce(1), kNow + 600, kNow + 599);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_b", nonce(1), kNow + 600, kNow)) << "another app's nonce";
  EXPECT_TRUE(store.spend("app_a", nonce(2), kNow + 600, kNow));
  // "app_a" + "\n" + nonce cannot be forged from another split of the same characters.
  EXPECT_TRUE(store.spend("app_a\nnonce", "x1000001", kNow + 600, kNow));
}

TEST(MemoryNonceStoreTest, LiveUntilKeepUntilThenSwept) {
  MemoryNonceStore store;
  ASSERT_TRUE(store.spend("app_a", nonce(1), kNow + 10, kNow));
  auto at_end = store.spend("app_a", nonce(1), kNow + 20, kNow + 10);
  ASSERT_FALSE(at_end) << "live while now <= keep_until";
  EXPECT_EQ(at_end.error().code, DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_a", nonce(1), kNow + 30, kNow + 11)) << "expired: free again";
  for (int i = 2; i < 200; ++i) {
    ASSERT_TRUE(store.spend("app_a", nonce(i), kNow + 12, kNow + 11));
  }
  EXPECT_EQ(store.size(), 199U);
  // Far past every expiry, each shard sweeps on its next use; a spend in every shard empties
  // them all but the new entries.
  for (int i = 1000; i < 3000; ++i) {
    ASSERT_TRUE(store.spend("app_b", nonce(i), kNow + 1000, kNow + 100));
  }
  EXPECT_EQ(store.size(), 2000U) << "only app_b's live nonces remain";
}

TEST(MemoryNonceStoreTest, FullStoreRefusesInsteadOfEvicting) {
  // 64 shards of one entry each.
  MemoryNonceStore store(64);
  std::vector<std::string> accepted;
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    auto spent = store.spend("app_a", nonce(i), kNow + 600, kNow);
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
    auto replay = store.spend("app_a", n, kNow + 600, kNow + 1);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, DomainErrorCode::kReplayed);
  }
  // Once the window has passed, the space comes back.
  EXPECT_TRUE(store.spend("app_a", nonce(5000), kNow + 1300, kNow + 700));
}

TEST(MemoryNonceStoreTest, ConcurrentSpendsOfOneNonceAcceptExactlyOne) {
  MemoryNonceStore store;
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<int> accepted{0};
    std::atomic<int> replayed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        auto spent = store.spend("app_a", nonce(round), kNow + 600, kNow);
        if (spent) {
          ++accepted;
        } else if (spent.error().code == DomainErrorCode::kReplayed) {
          ++replayed;
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    ASSERT_EQ(accepted.load(), 1) << "round " << round;
    ASSERT_EQ(replayed.load(), kThreads - 1) << "round " << round;
  }
}

}  // namespace
}  // namespace pactum::domain

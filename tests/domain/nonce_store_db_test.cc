#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "domain_fixture.h"
#include "pactum/domain/database_nonce_store.h"
#include "pactum/domain/nonce_store.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;

constexpr std::int64_t kNow = 1767225600;

class NonceStoreTest : public DomainTest {
 protected:
  // spend_concurrently spends one nonce from kThreads threads, thread t through stores[t %
  // stores.size()], and returns how many were accepted; every refusal must be kReplayed.
  int spend_concurrently(const std::vector<domain::NonceStore*>& stores, const std::string& nonce) {
    constexpr int kThreads = 8;
    std::atomic<int> accepted{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        domain::NonceStore& store = *stores[static_cast<std::size_t>(t) % stores.size()];
        auto spent = store.spend("app_a", nonce, kNow + 600, kNow);
        if (spent) {
          ++accepted;
        } else if (spent.error().code != DomainErrorCode::kReplayed) {
          ++other;
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    EXPECT_EQ(other.load(), 0) << "a refusal other than replayed";
    return accepted.load();
  }
};

TEST_P(NonceStoreTest, DatabaseStoreSpendsOnceAndTakesOverExpiredRows) {
  domain::DatabaseNonceStore store(database());
  ASSERT_TRUE(store.spend("app_a", "nonce-0000000001", kNow + 600, kNow));
  expect_refused(store.spend("app_a", "nonce-0000000001", kNow + 900, kNow + 600),
                 DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_b", "nonce-0000000001", kNow + 600, kNow));
  EXPECT_EQ(count("api_nonces"), 2);
  // Past keep_until the row no longer counts, purged or not.
  EXPECT_TRUE(store.spend("app_a", "nonce-0000000001", kNow + 1300, kNow + 601));
  expect_refused(store.spend("app_a", "nonce-0000000001", kNow + 1300, kNow + 700),
                 DomainErrorCode::kReplayed);
}

TEST_P(NonceStoreTest, DatabaseStorePurgesExpiredRows) {
  domain::DatabaseNonceStore store(database());
  for (std::uint64_t i = 0; i < domain::DatabaseNonceStore::kPurgeEvery - 1; ++i) {
    ASSERT_TRUE(store.spend("app_a", "nonce-old-" + std::to_string(i), kNow + 10, kNow));
  }
  EXPECT_EQ(count("api_nonces"), std::int64_t{domain::DatabaseNonceStore::kPurgeEvery} - 1);
  ASSERT_TRUE(store.spend("app_a", "nonce-new-0000001", kNow + 700, kNow + 100));
  EXPECT_EQ(count("api_nonces"), 1) << "the expired rows were purged";
}

TEST_P(NonceStoreTest, ConcurrentSpendsThroughTheEnginesStoreAcceptExactlyOne) {
  const auto store = domain::make_nonce_store(database());
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_concurrently({store.get()}, "nonce-round-" + std::to_string(round)), 1);
  }
}

TEST_P(NonceStoreTest, ConcurrentSpendsThroughTwoDatabaseStoresAcceptExactlyOne) {
  domain::DatabaseNonceStore first(database());
  domain::DatabaseNonceStore second(database());
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_concurrently({&first, &second}, "nonce-round-" + std::to_string(round)), 1);
  }
}

TEST_P(NonceStoreTest, NodesOnPostgresqlShareNonces) {
  if (GetParam() == store::Engine::kSqlite) {
    GTEST_SKIP() << "a SQLite data directory has one node (pactumd locks it); nonces stay in it";
  }
  // Two nodes: each its own memory store in front of the one database.
  const auto node_a = domain::make_nonce_store(database());
  const auto node_b = domain::make_nonce_store(database());
  ASSERT_TRUE(node_a->spend("app_a", "nonce-0000000001", kNow + 600, kNow));
  expect_refused(node_b->spend("app_a", "nonce-0000000001", kNow + 600, kNow),
                 DomainErrorCode::kReplayed, "replayed to the other node");
  expect_refused(node_a->spend("app_a", "nonce-0000000001", kNow + 600, kNow),
                 DomainErrorCode::kReplayed, "replayed to the same node");
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_concurrently({node_a.get(), node_b.get()},
                                 "nonce-round-" + std::to_string(round)),
              1);
  }
}

TEST_P(NonceStoreTest, SqliteNodeKeepsNoncesOutOfTheDatabase) {
  if (GetParam() != store::Engine::kSqlite) {
    GTEST_SKIP() << "PostgreSQL nodes record nonces in the shared table";
  }
  const auto store = domain::make_nonce_store(database());
  ASSERT_TRUE(store->spend("app_a", "nonce-0000000001", kNow + 600, kNow));
  expect_refused(store->spend("app_a", "nonce-0000000001", kNow + 600, kNow),
                 DomainErrorCode::kReplayed);
  EXPECT_EQ(count("api_nonces"), 0) << "no write per request";
}

INSTANTIATE_TEST_SUITE_P(Engines, NonceStoreTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

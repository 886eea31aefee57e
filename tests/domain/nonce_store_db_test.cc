#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "concurrent_spends.h"
#include "domain_fixture.h"
#include "pactum/domain/database_nonce_store.h"
#include "pactum/domain/nonce_store.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;

constexpr std::int64_t kNow = 1767225600;
constexpr std::int64_t kRetention = domain::kNonceRetention.count();

class NonceStoreTest : public DomainTest {
 protected:
  // spend_each_concurrently spends one nonce from kThreads threads, thread t through
  // stores[t % stores.size()], and returns how many were accepted; every refusal must be
  // kReplayed.
  static int spend_each_concurrently(const std::vector<domain::NonceStore*>& stores,
                                     const std::string& nonce) {
    constexpr int kThreads = 8;
    const auto outcome = spend_concurrently(kThreads, [&](int t) {
      return stores[static_cast<std::size_t>(t) % stores.size()]->spend("app_a", nonce, kNow,
                                                                        kNow);
    });
    EXPECT_EQ(outcome.other, 0) << "a refusal other than replayed";
    return outcome.accepted;
  }
};

TEST_P(NonceStoreTest, DatabaseStoreSpendsOnceAndTakesOverExpiredRows) {
  domain::DatabaseNonceStore store(database());
  ASSERT_TRUE(store.spend("app_a", "nonce-0000000001", kNow, kNow));
  expect_refused(store.spend("app_a", "nonce-0000000001", kNow + 300, kNow + kRetention),
                 DomainErrorCode::kReplayed);
  EXPECT_TRUE(store.spend("app_b", "nonce-0000000001", kNow, kNow));
  EXPECT_EQ(count("api_nonces"), 2);
  // Past the retention the row no longer counts, purged or not.
  EXPECT_TRUE(store.spend("app_a", "nonce-0000000001", kNow + kRetention + 1,
                          kNow + kRetention + 1));
  expect_refused(store.spend("app_a", "nonce-0000000001", kNow + kRetention + 2,
                             kNow + kRetention + 2),
                 DomainErrorCode::kReplayed);
}

TEST_P(NonceStoreTest, DatabaseStorePurgesExpiredRows) {
  domain::DatabaseNonceStore store(database());
  for (std::uint64_t i = 0; i < domain::DatabaseNonceStore::kPurgeEvery - 1; ++i) {
    ASSERT_TRUE(store.spend("app_a", "nonce-old-" + std::to_string(i), kNow, kNow));
  }
  EXPECT_EQ(count("api_nonces"), std::int64_t{domain::DatabaseNonceStore::kPurgeEvery} - 1);
  ASSERT_TRUE(store.spend("app_a", "nonce-new-0000001", kNow + kRetention + 1,
                          kNow + kRetention + 1));
  EXPECT_EQ(count("api_nonces"), 1) << "the expired rows were purged";
}

TEST_P(NonceStoreTest, ConcurrentSpendsThroughTheEnginesStoreAcceptExactlyOne) {
  const auto store = domain::make_nonce_store(database(), kNow);
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_each_concurrently({store.get()}, "nonce-round-" + std::to_string(round)), 1);
  }
}

TEST_P(NonceStoreTest, ConcurrentSpendsThroughTwoDatabaseStoresAcceptExactlyOne) {
  domain::DatabaseNonceStore first(database());
  domain::DatabaseNonceStore second(database());
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_each_concurrently({&first, &second}, "nonce-round-" + std::to_string(round)), 1);
  }
}

TEST_P(NonceStoreTest, NodesOnPostgresqlShareNonces) {
  if (GetParam() == store::Engine::kSqlite) {
    GTEST_SKIP() << "a SQLite data directory has one node (pactumd locks it); nonces stay in it";
  }
  // Two nodes: each its own memory store in front of the one database.
  const auto node_a = domain::make_nonce_store(database(), kNow);
  const auto node_b = domain::make_nonce_store(database(), kNow);
  ASSERT_TRUE(node_a->spend("app_a", "nonce-0000000001", kNow, kNow));
  expect_refused(node_b->spend("app_a", "nonce-0000000001", kNow, kNow),
                 DomainErrorCode::kReplayed, "replayed to the other node");
  expect_refused(node_a->spend("app_a", "nonce-0000000001", kNow, kNow),
                 DomainErrorCode::kReplayed, "replayed to the same node");
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(spend_each_concurrently({node_a.get(), node_b.get()},
                                 "nonce-round-" + std::to_string(round)),
              1);
  }
}

TEST_P(NonceStoreTest, SqliteNodeKeepsNoncesOutOfTheDatabase) {
  if (GetParam() != store::Engine::kSqlite) {
    GTEST_SKIP() << "PostgreSQL nodes record nonces in the shared table";
  }
  const auto store = domain::make_nonce_store(database(), kNow);
  ASSERT_TRUE(store->spend("app_a", "nonce-0000000001", kNow, kNow));
  expect_refused(store->spend("app_a", "nonce-0000000001", kNow, kNow),
                 DomainErrorCode::kReplayed);
  EXPECT_EQ(count("api_nonces"), 0) << "no write per request";
}

TEST_P(NonceStoreTest, ARestartedSqliteNodeRefusesRequestsSignedBeforeItStarted) {
  const auto restarted = domain::make_nonce_store(database(), kNow);
  auto signed_before = restarted->spend("app_a", "nonce-0000000001", kNow - 1, kNow + 1);
  if (GetParam() == store::Engine::kSqlite) {
    // The previous run's nonces are gone with it: it cannot tell a replay from a first use.
    expect_refused(signed_before, DomainErrorCode::kExpired);
  } else {
    EXPECT_TRUE(signed_before) << "the shared table knows what every node accepted";
  }
  EXPECT_TRUE(restarted->spend("app_a", "nonce-0000000002", kNow, kNow + 1));
}

INSTANTIATE_TEST_SUITE_P(Engines, NonceStoreTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

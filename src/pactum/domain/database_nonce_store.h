#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "pactum/domain/nonce_store.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// DatabaseNonceStore spends nonces in the api_nonces table, whose primary key (app id, nonce)
// makes the database the judge between nodes: of two nodes spending one nonce, one insert wins.
// On PostgreSQL the insert commits asynchronously (synchronous_commit off for that statement's
// transaction only), so a request waits for no WAL flush; README.md argues what a crash can lose.
// A live row refuses (kReplayed); an expired row not yet purged is taken over. Expired rows are
// purged every kPurgeEvery-th spend.
class DatabaseNonceStore final : public NonceStore {
 public:
  static constexpr std::uint64_t kPurgeEvery = 512;

  explicit DatabaseNonceStore(store::Database& database) : database_(database) {}

  DomainStatus spend(std::string_view app_id, std::string_view nonce, std::int64_t timestamp,
                     std::int64_t now) override;

 private:
  store::Database& database_;
  std::atomic<std::uint64_t> spent_{0};
};

// LayeredNonceStore asks a local store first and then a shared one: a replay to the node that
// saw the original is refused without touching the shared store; a fresh nonce must be accepted
// by both. Neither is owned.
class LayeredNonceStore final : public NonceStore {
 public:
  LayeredNonceStore(NonceStore& local, NonceStore& shared) : local_(local), shared_(shared) {}

  DomainStatus spend(std::string_view app_id, std::string_view nonce, std::int64_t timestamp,
                     std::int64_t now) override;

 private:
  NonceStore& local_;
  NonceStore& shared_;
};

}  // namespace pactum::domain

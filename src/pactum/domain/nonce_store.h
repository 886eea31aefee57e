#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// NonceStore remembers the nonces of accepted API-app requests for as long as a request carrying
// them could still be inside the replay window, so that each nonce is spent at most once. The
// store decides nothing else: the window and the signature are checked before a nonce is spent
// (only a correctly signed request may spend one). Implementations are thread-safe.
class NonceStore {
 public:
  virtual ~NonceStore() = default;
  NonceStore() = default;
  NonceStore(const NonceStore&) = delete;
  NonceStore& operator=(const NonceStore&) = delete;

  // spend records nonce for app_id until keep_until (Unix seconds; the entry is live while
  // now <= keep_until). Exactly one of any number of concurrent spends of one live nonce
  // succeeds. Refusals: kReplayed if the nonce is already recorded and live; kRateLimited if the
  // store is full (it refuses rather than forgets a live nonce, so a flood cannot make a replay
  // pass); kInternal if its storage failed (the request is refused, never let through).
  virtual DomainStatus spend(std::string_view app_id, std::string_view nonce,
                             std::int64_t keep_until, std::int64_t now) = 0;
};

// make_nonce_store returns the store a node uses on database: on SQLite (one pactumd per data
// directory, enforced by the data-directory lock) a MemoryNonceStore alone; on PostgreSQL (many
// nodes share nonces) a MemoryNonceStore in front of a DatabaseNonceStore. README.md explains the
// trade-offs.
std::unique_ptr<NonceStore> make_nonce_store(store::Database& database);

}  // namespace pactum::domain

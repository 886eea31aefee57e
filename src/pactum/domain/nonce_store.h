#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/request_signature.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// kNonceRetention is how long after its request's timestamp a nonce is remembered: the window
// on both sides of the timestamp, which leaves slack for clock steps and for the skew between
// nodes' clocks.
inline constexpr std::chrono::seconds kNonceRetention = 2 * kReplayWindow;

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

  // spend records nonce for app_id, from a request signed at timestamp (Unix seconds, already
  // checked to be inside the window), until timestamp + kNonceRetention (live while now <= that).
  // Exactly one of any number of concurrent spends of one live nonce succeeds. Refusals:
  // kReplayed if the nonce is already recorded and live; kExpired if the store cannot know
  // whether it was (a request signed before a restarted node's memory began); kRateLimited if the
  // store is full (it refuses rather than forgets a live nonce, so a flood cannot make a replay
  // pass); kInternal if its storage failed (the request is refused, never let through).
  virtual DomainStatus spend(std::string_view app_id, std::string_view nonce,
                             std::int64_t timestamp, std::int64_t now) = 0;
};

// make_nonce_store returns the store a node started at started_at (Unix seconds) uses on
// database: on SQLite (one pactumd per data directory, enforced by the data-directory lock) a
// MemoryNonceStore alone, which refuses requests signed before started_at (the nonces of an
// earlier run are forgotten); on PostgreSQL (many nodes share nonces) a MemoryNonceStore in front
// of a DatabaseNonceStore. README.md explains the trade-offs.
std::unique_ptr<NonceStore> make_nonce_store(store::Database& database, std::int64_t started_at);

}  // namespace pactum::domain

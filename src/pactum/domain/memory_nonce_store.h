#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "pactum/domain/nonce_store.h"

namespace pactum::domain {

// MemoryNonceStore keeps spent nonces in this process: sharded hash tables, each behind its own
// mutex, so concurrent requests rarely contend. An entry is a 128-bit SHA-256 prefix of
// (app id, nonce) and its expiry: a collision could only refuse a fresh request as replayed,
// never let a replay through. Expired entries are swept from a shard every few seconds and
// whenever it fills; a shard that is still full refuses new nonces (kRateLimited) instead of
// evicting live ones. Sound only when this process sees every request of the data (SQLite, whose
// data directory pactumd locks), or in front of a shared store (PostgreSQL).
class MemoryNonceStore final : public NonceStore {
 public:
  // kDefaultCapacity entries take about 60 bytes each (~250 MiB when full); with nonces kept
  // about 10 minutes that is a sustained ~7,000 signed requests per second per node before the
  // store refuses.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 22;

  // capacity is the most live nonces held (split evenly across the shards; at least one each).
  // remembers_since is when this store began (Unix seconds): when it is the only store of the
  // data (SQLite), nonces spent before it, by an earlier run of the node, are unknown, so
  // requests signed before it are refused (kExpired) instead of risking a replay. 0 when a shared
  // store behind it knows them (PostgreSQL).
  explicit MemoryNonceStore(std::size_t capacity = kDefaultCapacity,
                            std::int64_t remembers_since = 0);

  DomainStatus spend(std::string_view app_id, std::string_view nonce, std::int64_t timestamp,
                     std::int64_t now) override;

  // size returns how many entries are held (live or not yet swept); for tests and metrics.
  [[nodiscard]] std::size_t size() const;

 private:
  struct Key {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const { return static_cast<std::size_t>(key.low); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<Key, std::int64_t, KeyHash> entries;  // key -> keep_until
    std::int64_t next_sweep = 0;
    std::int64_t last_full_sweep = -1;
  };
  static constexpr std::size_t kShards = 64;

  static Key key_of(std::string_view app_id, std::string_view nonce);
  static void sweep(Shard& shard, std::int64_t now);

  std::size_t shard_capacity_;
  std::int64_t remembers_since_;
  std::array<Shard, kShards> shards_;
};

}  // namespace pactum::domain

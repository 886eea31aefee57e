#include "pactum/domain/memory_nonce_store.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "pactum/crypto/digest.h"

namespace pactum::domain {
namespace {

// Sweeping a shard costs a pass over it, so it happens at most every kSweepInterval seconds, or
// once a second while the shard is full.
constexpr std::int64_t kSweepInterval = 5;

}  // namespace

MemoryNonceStore::MemoryNonceStore(std::size_t capacity, std::int64_t remembers_since)
    : shard_capacity_(std::max<std::size_t>(1, capacity / kShards)),
      remembers_since_(remembers_since) {}

MemoryNonceStore::Key MemoryNonceStore::key_of(std::string_view app_id, std::string_view nonce) {
  // The separator cannot occur in an app id or a nonce, so distinct pairs hash distinct texts.
  std::string text;
  text.reserve(app_id.size() + 1 + nonce.size());
  text.append(app_id).push_back('\n');
  text.append(nonce);
  const Bytes digest = crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes(text));
  Key key;
  std::memcpy(&key.high, digest.data(), sizeof key.high);
  std::memcpy(&key.low, digest.data() + sizeof key.high, sizeof key.low);
  return key;
}

void MemoryNonceStore::sweep(Shard& shard, std::int64_t now) {
  std::erase_if(shard.entries, [now](const auto& entry) { return entry.second < now; });
  shard.next_sweep = now + kSweepInterval;
}

DomainStatus MemoryNonceStore::spend(std::string_view app_id, std::string_view nonce,
                                     std::int64_t timestamp, std::int64_t now) {
  if (timestamp < remembers_since_) {
    return refuse(DomainErrorCode::kExpired,
                  "the request was signed before this server started; sign it again");
  }
  const std::int64_t keep_until = timestamp + kNonceRetention.count();
  const Key key = key_of(app_id, nonce);
  Shard& shard = shards_[key.high % kShards];
  const std::scoped_lock lock(shard.mutex);
  if (now >= shard.next_sweep) {
    sweep(shard, now);
  }
  if (auto found = shard.entries.find(key); found != shard.entries.end()) {
    if (found->second >= now) {
      return refuse(DomainErrorCode::kReplayed,
                    "this request was already received (nonce reused)");
    }
    found->second = keep_until;  // expired and not swept yet: the slot is free again
    return {};
  }
  if (shard.entries.size() >= shard_capacity_ && now != shard.last_full_sweep) {
    shard.last_full_sweep = now;
    sweep(shard, now);
  }
  if (shard.entries.size() >= shard_capacity_) {
    return refuse(DomainErrorCode::kRateLimited,
                  "too many signed requests inside the replay window; retry shortly");
  }
  shard.entries.emplace(key, keep_until);
  return {};
}

std::size_t MemoryNonceStore::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    const std::scoped_lock lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace pactum::domain

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pactum/domain/permissions.h"

namespace pactum::domain {

// ApiAppCache keeps, per process, what authenticating an app's request needs: its enterprise,
// scopes, whether it is revoked, and its secret unsealed (opening the sealed secret and reading
// the row on every request was most of an authenticated read's cost). Rotating or revoking an app
// through this process invalidates its entry at once (after the change commits); a change made by
// another node (PostgreSQL) is seen when the entry expires, so ttl bounds how long a revoked app
// or a rotated-out secret keeps working there. Unknown app ids are never cached. Thread-safe.
class ApiAppCache {
 public:
  // kDefaultTtl is the cross-node revocation delay documented in README.md.
  static constexpr std::chrono::seconds kDefaultTtl{5};

  // Entry is one app as authentication needs it.
  struct Entry {
    std::string enterprise_id;
    std::vector<ApiScope> scopes;
    std::string secret;
    bool revoked = false;
  };

  explicit ApiAppCache(std::chrono::seconds ttl = kDefaultTtl) : ttl_(ttl.count()) {}

  // find returns app_id's entry if it was loaded less than ttl before now (Unix seconds), else
  // nullptr.
  [[nodiscard]] std::shared_ptr<const Entry> find(std::string_view app_id, std::int64_t now) const;

  // generation returns the token to take before reading an app from the database and to hand
  // to put, so that a read racing with a rotation or revocation is not cached.
  [[nodiscard]] std::uint64_t generation() const;

  // put caches entry, loaded at now, unless an invalidation happened since generation was taken.
  void put(std::string_view app_id, std::shared_ptr<const Entry> entry, std::uint64_t generation,
           std::int64_t now);

  // invalidate drops app_id's entry; call it after a change to the app has committed.
  void invalidate(std::string_view app_id);

 private:
  struct Slot {
    std::shared_ptr<const Entry> entry;
    std::int64_t loaded_at = 0;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  std::int64_t ttl_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Slot, StringHash, std::equal_to<>> slots_;
  std::uint64_t generation_ = 0;
};

}  // namespace pactum::domain

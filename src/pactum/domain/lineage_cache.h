#pragma once

#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pactum::domain {

// Lineage is an enterprise followed by its parent, grandparent, ... up to the root.
using Lineage = std::vector<std::string>;

// LineageCache remembers, per process, the lineages that authorize reads on every call (one to
// kMaxGroupDepth look-ups each). Sound because a lineage never changes once its enterprise is
// committed: enterprises are never deleted and never move to another parent (a feature that
// moves one would have to invalidate here, and on every node). Only lineages read outside a
// transaction (committed data) are put here; unknown enterprises are never cached; past
// kCapacity entries nothing more is cached. Thread-safe.
class LineageCache {
 public:
  static constexpr std::size_t kCapacity = 100000;

  // find returns enterprise_id's lineage, or nullptr if it is not cached.
  [[nodiscard]] std::shared_ptr<const Lineage> find(std::string_view enterprise_id) const;

  // put caches lineage, whose first element is its enterprise's id.
  void put(std::shared_ptr<const Lineage> lineage);

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Lineage>, StringHash, std::equal_to<>>
      lineages_;
};

}  // namespace pactum::domain

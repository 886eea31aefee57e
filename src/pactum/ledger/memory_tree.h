#pragma once

// A Merkle tree held in memory: every complete subtree's hash, level by level. What tests, the
// benchmark's reference and offline tools use as a NodeSource.

#include <cstdint>
#include <span>
#include <vector>

#include "pactum/ledger/hash.h"
#include "pactum/ledger/merkle.h"

namespace pactum::ledger {

// MemoryTree keeps levels[k][i] = the hash of complete subtree (k, i). Not thread-safe.
class MemoryTree final : public NodeSource {
 public:
  // append adds one leaf by its leaf hash.
  void append(const Hash& leaf);

  // size is the number of leaves.
  [[nodiscard]] std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // root returns MTH of the first size leaves (size <= size()); empty_root() for 0.
  [[nodiscard]] Hash root(std::uint64_t size) const;

  // nodes returns the stored hashes; kNotFound for a subtree not complete yet.
  Result<std::vector<Hash>> nodes(std::span<const NodeId> ids) override;

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace pactum::ledger

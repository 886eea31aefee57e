#include "pactum/ledger/memory_tree.h"

#include <fmt/format.h>

namespace pactum::ledger {

void MemoryTree::append(const Hash& leaf) {
  if (levels_.empty()) {
    levels_.emplace_back();
  }
  levels_[0].push_back(leaf);
  std::size_t level = 0;
  while (levels_[level].size() % 2 == 0) {
    const auto& below = levels_[level];
    const Hash parent = node_hash(below[below.size() - 2], below.back());
    if (levels_.size() == level + 1) {
      levels_.emplace_back();
    }
    levels_[level + 1].push_back(parent);
    ++level;
  }
}

Hash MemoryTree::root(std::uint64_t size) const {
  std::vector<Hash> parts;
  for (const NodeId& id : complete_subtrees({0, size})) {
    parts.push_back(levels_.at(id.level).at(id.index));
  }
  return fold_subtrees(parts);
}

Result<std::vector<Hash>> MemoryTree::nodes(std::span<const NodeId> ids) {
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("subtree ({}, {}) is not complete", id.level, id.index));
    }
    out.push_back(levels_[id.level][id.index]);
  }
  return out;
}

}  // namespace pactum::ledger

#include "pactum/ledger/merkle.h"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

namespace pactum::ledger {
namespace {

bool lsb(std::uint64_t value) { return (value & 1U) != 0; }

Status check_length(std::span<const Hash> proof, std::size_t expected, std::string_view what) {
  if (proof.size() > kMaxProofHashes) {
    return fail(ErrorCode::kMalformed, fmt::format("the {} proof has {} hashes, more than any "
                                                   "proof can have ({})",
                                                   what, proof.size(), kMaxProofHashes));
  }
  if (proof.size() != expected) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the {} proof has {} hashes; one for these tree sizes has {}", what,
                            proof.size(), expected));
  }
  return {};
}

}  // namespace

std::uint64_t largest_power_of_two_below(std::uint64_t n) {
  // n >= 2: the highest bit of n - 1 is the largest power of two strictly below n.
  return std::uint64_t{1} << (std::bit_width(n - 1) - 1);
}

std::vector<NodeId> complete_subtrees(LeafRange range) {
  std::vector<NodeId> out;
  std::uint64_t begin = range.begin;
  while (begin < range.end) {
    std::uint64_t size = std::bit_floor(range.end - begin);
    if (begin != 0) {
      size = std::min(size, begin & (~begin + 1));  // never past begin's alignment
    }
    const auto level = static_cast<std::uint8_t>(std::countr_zero(size));
    out.push_back(NodeId{level, begin >> level});
    begin += size;
  }
  return out;
}

std::vector<LeafRange> inclusion_ranges(std::uint64_t index, std::uint64_t size) {
  // PATH(m, D[n]) recurses into the half holding m and appends the other half's hash after the
  // recursion's result; walking down, the siblings come out root-first, so reverse them.
  std::vector<LeafRange> out;
  std::uint64_t begin = 0;
  std::uint64_t end = size;
  while (end - begin > 1) {
    const std::uint64_t k = largest_power_of_two_below(end - begin);
    if (index < begin + k) {
      out.push_back({begin + k, end});
      end = begin + k;
    } else {
      out.push_back({begin, begin + k});
      begin += k;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<LeafRange> consistency_ranges(std::uint64_t from, std::uint64_t to) {
  // SUBPROOF(m, D[n], b): at m == n it yields nothing when b is still true and MTH(D[n])
  // otherwise; else it recurses into one half and appends the other half's hash.
  std::vector<LeafRange> out;
  if (from == 0 || from >= to) {
    return out;
  }
  std::uint64_t begin = 0;
  std::uint64_t end = to;
  bool whole = true;
  while (true) {
    const std::uint64_t size = end - begin;
    const std::uint64_t m = from - begin;
    if (m == size) {
      if (!whole) {
        out.push_back({begin, end});
      }
      break;
    }
    const std::uint64_t k = largest_power_of_two_below(size);
    if (m <= k) {
      out.push_back({begin + k, end});
      end = begin + k;
    } else {
      out.push_back({begin, begin + k});
      begin += k;
      whole = false;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Hash fold_subtrees(std::span<const Hash> hashes) {
  if (hashes.empty()) {
    return empty_root();
  }
  Hash hash = hashes.back();
  for (std::size_t i = hashes.size() - 1; i-- > 0;) {
    hash = node_hash(hashes[i], hash);
  }
  return hash;
}

Result<std::vector<Hash>> range_hashes(NodeSource& source, std::span<const LeafRange> ranges) {
  std::vector<NodeId> ids;
  std::vector<std::size_t> counts;
  counts.reserve(ranges.size());
  for (const LeafRange& range : ranges) {
    auto parts = complete_subtrees(range);
    counts.push_back(parts.size());
    ids.insert(ids.end(), parts.begin(), parts.end());
  }
  auto stored = ids.empty() ? Result<std::vector<Hash>>(std::vector<Hash>{}) : source.nodes(ids);
  if (!stored) {
    return std::unexpected(stored.error());
  }
  if (stored->size() != ids.size()) {
    return fail(ErrorCode::kInternal, "the node source returned the wrong number of hashes");
  }
  std::vector<Hash> out;
  out.reserve(ranges.size());
  std::size_t at = 0;
  for (const std::size_t count : counts) {
    out.push_back(fold_subtrees(std::span<const Hash>(*stored).subspan(at, count)));
    at += count;
  }
  return out;
}

Result<Hash> root_hash(NodeSource& source, std::uint64_t size) {
  if (size == 0) {
    return empty_root();
  }
  const LeafRange whole{0, size};
  auto hashes = range_hashes(source, std::span(&whole, 1));
  if (!hashes) {
    return std::unexpected(hashes.error());
  }
  return hashes->front();
}

Result<std::vector<Hash>> inclusion_proof(NodeSource& source, std::uint64_t index,
                                          std::uint64_t size) {
  if (index >= size) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("leaf {} is not in a tree of {} leaves", index, size));
  }
  return range_hashes(source, inclusion_ranges(index, size));
}

Result<std::vector<Hash>> consistency_proof(NodeSource& source, std::uint64_t from,
                                            std::uint64_t to) {
  if (from == 0 || from > to) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("no consistency proof from size {} to size {}: 0 < from <= to", from, to));
  }
  return range_hashes(source, consistency_ranges(from, to));
}

Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("leaf index {} is not below the tree size {}", index, size));
  }
  if (auto length = check_length(proof, inclusion_ranges(index, size).size(), "inclusion");
      !length) {
    return length;
  }
  // RFC 9162 section 2.1.3.2, step by step.
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return fail(ErrorCode::kCrypto, "the inclusion proof is longer than the tree is deep");
    }
    if (lsb(fn) || fn == sn) {
      r = node_hash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return fail(ErrorCode::kCrypto, "the inclusion proof is shorter than the tree is deep");
  }
  if (r != root) {
    return fail(ErrorCode::kCrypto, fmt::format("the inclusion proof of leaf {} leads to another "
                                                "root than the tree head's of size {}",
                                                index, size));
  }
  return {};
}

Status verify_consistency(std::uint64_t from, const Hash& from_root, std::uint64_t to,
                          const Hash& to_root, std::span<const Hash> proof) {
  if (from == 0 || from > to) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("no consistency between size {} and size {}: 0 < from <= to", from, to));
  }
  if (auto length = check_length(proof, consistency_ranges(from, to).size(), "consistency");
      !length) {
    return length;
  }
  if (from == to) {
    if (from_root != to_root) {
      return fail(ErrorCode::kCrypto,
                  fmt::format("two tree heads of size {} have different root hashes", from));
    }
    return {};
  }
  // RFC 9162 section 2.1.4.2, step by step.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(from)) {
    path.push_back(from_root);
  }
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = from - 1;
  std::uint64_t sn = to - 1;
  while (lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path.front();
  Hash sr = path.front();
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return fail(ErrorCode::kCrypto, "the consistency proof is longer than the tree is deep");
    }
    if (lsb(fn) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return fail(ErrorCode::kCrypto, "the consistency proof is shorter than the tree is deep");
  }
  if (fr != from_root) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the consistency proof does not lead to the root of size {}: the "
                            "older tree is not a prefix of the newer one",
                            from));
  }
  if (sr != to_root) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the consistency proof does not lead to the root of size {}", to));
  }
  return {};
}

Result<CompactRange> CompactRange::from_edge(std::uint64_t size, std::vector<Hash> edge) {
  if (edge.size() != static_cast<std::size_t>(std::popcount(size))) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("a tree of {} leaves has {} edge subtrees, not {}", size,
                            std::popcount(size), edge.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.edge_ = std::move(edge);
  return range;
}

void CompactRange::append(const Hash& leaf, const NewNode& on_node) {
  // The new leaf closes one subtree per trailing one bit of the old size: each time merge it with
  // the edge's last (equal-sized) subtree.
  Hash hash = leaf;
  std::uint64_t index = size_;
  std::uint8_t level = 0;
  while (lsb(index)) {
    hash = node_hash(edge_.back(), hash);
    edge_.pop_back();
    index >>= 1;
    ++level;
    if (on_node) {
      on_node(NodeId{level, index}, hash);
    }
  }
  edge_.push_back(hash);
  ++size_;
}

}  // namespace pactum::ledger

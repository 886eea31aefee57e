#pragma once

// RFC 9162 section 2.1 over a tree whose complete subtrees are stored: the root hash MTH of the
// first n leaves, the inclusion proof PATH(m, D[n]) (2.1.3.1), the consistency proof
// PROOF(m, D[n]) (2.1.4.1), and their verification (2.1.3.2, 2.1.4.2).
//
// Every hash a proof needs is the hash of a range of leaves that is either a complete, aligned
// subtree of 2^k leaves (a NodeId, stored when its last leaf was appended) or a range on the
// tree's right edge, which is folded from at most 64 complete subtrees. So a proof of a tree of
// any size reads O(log n) stored hashes, in one call to NodeSource::nodes, and never rehashes
// leaves.

#include <compare>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/ledger/hash.h"

namespace pactum::ledger {

// kMaxProofHashes is the most hashes any proof of a tree of up to 2^64 - 1 leaves holds.
inline constexpr std::size_t kMaxProofHashes = 64;

// NodeId names a complete subtree: the 2^level leaves starting at leaf index << level. Level 0
// is one leaf (its leaf hash).
struct NodeId {
  std::uint8_t level = 0;
  std::uint64_t index = 0;
  auto operator<=>(const NodeId&) const = default;
};

// LeafRange is the leaves [begin, end).
struct LeafRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  auto operator<=>(const LeafRange&) const = default;
};

// NodeSource reads stored hashes of complete subtrees.
class NodeSource {
 public:
  virtual ~NodeSource() = default;

  // nodes returns the hash of each subtree in ids, in the same order. Fails with kNotFound when
  // one is not stored (its last leaf was never appended), or with the storage's error.
  virtual Result<std::vector<Hash>> nodes(std::span<const NodeId> ids) = 0;
};

// largest_power_of_two_below returns the largest power of two smaller than n (n >= 2), the k of
// RFC 9162's split D[0:k], D[k:n].
std::uint64_t largest_power_of_two_below(std::uint64_t n);

// complete_subtrees returns the complete subtrees that make up range, left to right, largest
// first (range.begin aligned as every range of an RFC 9162 split is).
std::vector<NodeId> complete_subtrees(LeafRange range);

// inclusion_ranges returns the ranges whose hashes form PATH(index, D[size]), in RFC 9162 order
// (the leaf's sibling first, the root's child last). index < size.
std::vector<LeafRange> inclusion_ranges(std::uint64_t index, std::uint64_t size);

// consistency_ranges returns the ranges whose hashes form PROOF(from, D[to]), in RFC 9162 order.
// 0 < from <= to; empty when from == to.
std::vector<LeafRange> consistency_ranges(std::uint64_t from, std::uint64_t to);

// fold_subtrees returns MTH of a range from the hashes of its complete_subtrees, in their order
// (right to left: node(h0, node(h1, ... node(h_{n-2}, h_{n-1})))); empty_root() for none.
Hash fold_subtrees(std::span<const Hash> hashes);

// range_hashes returns MTH of each range, reading all the stored subtrees they need in one call
// to source.nodes. Fails like source.nodes.
Result<std::vector<Hash>> range_hashes(NodeSource& source, std::span<const LeafRange> ranges);

// root_hash returns MTH(D[size]): empty_root() for 0. Fails like source.nodes.
Result<Hash> root_hash(NodeSource& source, std::uint64_t size);

// inclusion_proof returns PATH(index, D[size]). kInvalidArgument unless index < size; fails like
// source.nodes.
Result<std::vector<Hash>> inclusion_proof(NodeSource& source, std::uint64_t index,
                                          std::uint64_t size);

// consistency_proof returns PROOF(from, D[to]) (empty when from == to). kInvalidArgument unless
// 0 < from <= to; fails like source.nodes.
Result<std::vector<Hash>> consistency_proof(NodeSource& source, std::uint64_t from,
                                            std::uint64_t to);

// verify_inclusion checks an inclusion proof as RFC 9162 section 2.1.3.2 says: the proof must
// lead from leaf (a leaf hash) at index to root in a tree of size leaves, using every hash and no
// more. Succeeds only then; fails with kInvalidArgument if index >= size, kMalformed if the proof
// has more than kMaxProofHashes hashes or the wrong number for index and size, kCrypto if it
// leads to another root.
Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        std::span<const Hash> proof, const Hash& root);

// verify_consistency checks that the tree of to leaves with root to_root extends the tree of
// from leaves with root from_root (RFC 9162 section 2.1.4.2). from == to needs an empty proof
// and equal roots; from == 0 is refused (an empty tree proves nothing). Fails with
// kInvalidArgument if from is 0 or from > to, kMalformed if the proof is too long or has the
// wrong number of hashes, kCrypto if it does not lead to both roots.
Status verify_consistency(std::uint64_t from, const Hash& from_root, std::uint64_t to,
                          const Hash& to_root, std::span<const Hash> proof);

// CompactRange is the right edge of a tree of size leaves: the hashes of complete_subtrees of
// [0, size). It is what an append needs: appending a leaf completes the subtrees it closes, which
// are reported so they can be stored, and the root of any size is the fold of its edge.
class CompactRange {
 public:
  // NewNode receives each complete subtree of level >= 1 that an append closes.
  using NewNode = std::function<void(const NodeId&, const Hash&)>;

  CompactRange() = default;

  // from_edge builds the range of a tree of size leaves from the hashes of
  // complete_subtrees({0, size}), in order. kInvalidArgument if their number is wrong.
  static Result<CompactRange> from_edge(std::uint64_t size, std::vector<Hash> edge);

  // append adds one leaf (its leaf hash) at index size() and calls on_node (may be null) for
  // every interior node that this completes, lowest first.
  void append(const Hash& leaf, const NewNode& on_node);

  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] const std::vector<Hash>& edge() const { return edge_; }

  // root returns MTH of the leaves so far.
  [[nodiscard]] Hash root() const { return fold_subtrees(edge_); }

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> edge_;  // complete_subtrees({0, size_}), largest first
};

}  // namespace pactum::ledger

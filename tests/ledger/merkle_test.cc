// RFC 9162 Merkle tree: the published Certificate Transparency test vectors (the eight leaves of
// the CT test suite, their roots, inclusion and consistency proofs, recomputed here), every
// proof of small trees against a literal transcription of the RFC's recursive definitions, and
// refusal of tampered, truncated, over-long and malformed proofs.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pactum/ledger/memory_tree.h"
#include "pactum/ledger/merkle.h"

namespace pactum::ledger {
namespace {

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(hex_digit_value(hex[i]) * 16 + hex_digit_value(hex[i + 1])));
  }
  return out;
}

Hash h(std::string_view hex) { return *parse_hash_hex(hex, "test"); }

const std::vector<std::string> kLeaves = {"",
                                          "00",
                                          "10",
                                          "2021",
                                          "3031",
                                          "40414243",
                                          "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f"};

const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

MemoryTree vector_tree() {
  MemoryTree tree;
  for (const auto& leaf : kLeaves) {
    tree.append(leaf_hash(from_hex(leaf)));
  }
  return tree;
}

// The RFC's definitions, transcribed literally (section 2.1.1, 2.1.3.1, 2.1.4.1).
std::uint64_t split(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

Hash mth(std::span<const Hash> leaves) {
  if (leaves.empty()) {
    return empty_root();
  }
  if (leaves.size() == 1) {
    return leaves[0];
  }
  const auto k = split(leaves.size());
  return node_hash(mth(leaves.first(k)), mth(leaves.subspan(k)));
}

std::vector<Hash> path(std::uint64_t m, std::span<const Hash> d) {
  if (d.size() == 1) {
    return {};
  }
  const auto k = split(d.size());
  std::vector<Hash> out = m < k ? path(m, d.first(k)) : path(m - k, d.subspan(k));
  out.push_back(m < k ? mth(d.subspan(k)) : mth(d.first(k)));
  return out;
}

std::vector<Hash> subproof(std::uint64_t m, std::span<const Hash> d, bool b) {
  if (m == d.size()) {
    return b ? std::vector<Hash>{} : std::vector<Hash>{mth(d)};
  }
  const auto k = split(d.size());
  std::vector<Hash> out =
      m <= k ? subproof(m, d.first(k), b) : subproof(m - k, d.subspan(k), false);
  out.push_back(m <= k ? mth(d.subspan(k)) : mth(d.first(k)));
  return out;
}

std::vector<Hash> leaf_hashes(std::size_t n) {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(leaf_hash(as_bytes("leaf " + std::to_string(i))));
  }
  return out;
}

TEST(MerkleVectors, RootsOfEveryPrefix) {
  auto tree = vector_tree();
  for (std::size_t n = 0; n < kRoots.size(); ++n) {
    EXPECT_EQ(hash_hex(tree.root(n)), kRoots[n]) << n;
    EXPECT_EQ(hash_hex(*root_hash(tree, n)), kRoots[n]) << n;
  }
  EXPECT_EQ(hash_hex(leaf_hash(from_hex(""))), kRoots[1]);
  EXPECT_EQ(hash_hex(leaf_hash(from_hex("00"))),
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
}

TEST(MerkleVectors, InclusionProofs) {
  auto tree = vector_tree();
  struct Vector {
    std::uint64_t index, size;
    std::vector<std::string> proof;
  };
  const std::vector<Vector> vectors = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const auto& v : vectors) {
    auto proof = inclusion_proof(tree, v.index, v.size);
    ASSERT_TRUE(proof) << proof.error().message;
    std::vector<std::string> hex;
    for (const auto& p : *proof) {
      hex.push_back(hash_hex(p));
    }
    EXPECT_EQ(hex, v.proof) << v.index << "/" << v.size;
    const Hash leaf = leaf_hash(from_hex(kLeaves[v.index]));
    EXPECT_TRUE(verify_inclusion(leaf, v.index, v.size, *proof, h(kRoots[v.size])));
  }
}

TEST(MerkleVectors, ConsistencyProofs) {
  auto tree = vector_tree();
  struct Vector {
    std::uint64_t from, to;
    std::vector<std::string> proof;
  };
  const std::vector<Vector> vectors = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const auto& v : vectors) {
    auto proof = consistency_proof(tree, v.from, v.to);
    ASSERT_TRUE(proof) << proof.error().message;
    std::vector<std::string> hex;
    for (const auto& p : *proof) {
      hex.push_back(hash_hex(p));
    }
    EXPECT_EQ(hex, v.proof) << v.from << "/" << v.to;
    EXPECT_TRUE(verify_consistency(v.from, h(kRoots[v.from]), v.to, h(kRoots[v.to]), *proof));
  }
}

TEST(Merkle, EveryProofOfSmallTreesMatchesTheRfcDefinitions) {
  const auto leaves = leaf_hashes(70);
  MemoryTree tree;
  for (const auto& leaf : leaves) {
    tree.append(leaf);
  }
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const std::span<const Hash> d(leaves.data(), n);
    const Hash root = mth(d);
    ASSERT_EQ(*root_hash(tree, n), root) << n;
    for (std::uint64_t m = 0; m < n; ++m) {
      auto proof = inclusion_proof(tree, m, n);
      ASSERT_TRUE(proof);
      ASSERT_EQ(*proof, path(m, d)) << m << "/" << n;
      ASSERT_TRUE(verify_inclusion(leaves[m], m, n, *proof, root)) << m << "/" << n;
      // Another leaf, another index, a flipped bit: refused.
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(leaves[(m + 1) % n], m, n, *proof, root));
        EXPECT_FALSE(verify_inclusion(leaves[m], (m + 1) % n, n, *proof, root));
        auto bad = *proof;
        bad[m % bad.size()][7] ^= 1U;
        EXPECT_FALSE(verify_inclusion(leaves[m], m, n, bad, root));
      }
    }
    for (std::uint64_t m = 1; m <= n; ++m) {
      auto proof = consistency_proof(tree, m, n);
      ASSERT_TRUE(proof);
      ASSERT_EQ(*proof, subproof(m, d, true)) << m << "/" << n;
      const Hash old_root = mth(d.first(m));
      ASSERT_TRUE(verify_consistency(m, old_root, n, root, *proof)) << m << "/" << n;
      if (m < n) {
        // A rewritten old leaf: the old root no longer follows.
        std::vector<Hash> rewritten(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(m));
        rewritten[m / 2] = leaf_hash(as_bytes("rewritten"));
        EXPECT_FALSE(verify_consistency(m, mth(rewritten), n, root, *proof));
        auto bad = *proof;
        bad.back()[0] ^= 1U;
        EXPECT_FALSE(verify_consistency(m, old_root, n, root, bad));
      }
    }
  }
}

TEST(Merkle, CompactRangeReportsEveryNewNodeAndTheRoot) {
  const auto leaves = leaf_hashes(300);
  MemoryTree tree;
  CompactRange range;
  std::vector<NodeId> reported;
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    tree.append(leaves[i]);
    range.append(leaves[i], [&](const NodeId& id, const Hash& hash) {
      reported.push_back(id);
      const NodeId one[] = {id};
      EXPECT_EQ(tree.nodes(one)->front(), hash);
    });
    ASSERT_EQ(range.root(), tree.root(i + 1)) << i;
  }
  EXPECT_EQ(reported.size(), 300U - static_cast<std::size_t>(std::popcount(300U)));
  auto rebuilt = CompactRange::from_edge(range.size(), range.edge());
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(rebuilt->root(), range.root());
  EXPECT_FALSE(CompactRange::from_edge(300, {}));
}

TEST(Merkle, RefusesStructurallyWrongProofs) {
  auto tree = vector_tree();
  const Hash root8 = h(kRoots[8]);
  const Hash root6 = h(kRoots[6]);
  const Hash leaf5 = leaf_hash(from_hex(kLeaves[5]));
  auto proof = *inclusion_proof(tree, 5, 8);
  // Truncated, over-long, leaf outside the tree, wrong root: each a failure, never "valid".
  auto truncated = std::vector<Hash>(proof.begin(), proof.end() - 1);
  EXPECT_EQ(verify_inclusion(leaf5, 5, 8, truncated, root8).error().code, ErrorCode::kMalformed);
  auto longer = proof;
  longer.push_back(root8);
  EXPECT_EQ(verify_inclusion(leaf5, 5, 8, longer, root8).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(verify_inclusion(leaf5, 8, 8, proof, root8).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(verify_inclusion(leaf5, 5, 8, proof, root6).error().code, ErrorCode::kCrypto);
  std::vector<Hash> huge(65, root8);
  EXPECT_EQ(verify_inclusion(leaf5, 5, 8, huge, root8).error().code, ErrorCode::kMalformed);

  auto consistency = *consistency_proof(tree, 6, 8);
  EXPECT_TRUE(verify_consistency(6, root6, 8, root8, consistency));
  EXPECT_FALSE(verify_consistency(6, root8, 8, root8, consistency));
  EXPECT_FALSE(verify_consistency(6, root6, 8, root6, consistency));
  EXPECT_FALSE(verify_consistency(5, root6, 8, root8, consistency));
  EXPECT_EQ(verify_consistency(8, root8, 6, root6, {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(verify_consistency(0, empty_root(), 8, root8, {}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(verify_consistency(8, root8, 8, root8, {}));
  EXPECT_FALSE(verify_consistency(8, root6, 8, root8, {}));
  const Hash extra[] = {root8};
  EXPECT_FALSE(verify_consistency(8, root8, 8, root8, extra));

  EXPECT_EQ(inclusion_proof(tree, 8, 8).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(consistency_proof(tree, 0, 8).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(consistency_proof(tree, 9, 8).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(consistency_proof(tree, 4, 9).error().code, ErrorCode::kNotFound);
}

TEST(Merkle, ProofsOfHugeTreesReadFewNodes) {
  // A source that records what it is asked for, at a size of about 10^13 leaves.
  class Counting final : public NodeSource {
   public:
    Result<std::vector<Hash>> nodes(std::span<const NodeId> ids) override {
      ++calls;
      asked += ids.size();
      return std::vector<Hash>(ids.size(), Hash{});
    }
    int calls = 0;
    std::size_t asked = 0;
  } source;
  const std::uint64_t size = (std::uint64_t{1} << 43) - 12345;
  ASSERT_TRUE(inclusion_proof(source, 987654321, size));
  EXPECT_EQ(source.calls, 1);
  EXPECT_LE(source.asked, 2U * 43U);
  source.asked = 0;
  ASSERT_TRUE(consistency_proof(source, size - 999, size));
  EXPECT_LE(source.asked, 2U * 43U);
}

TEST(Hashes, HexIsStrict) {
  EXPECT_TRUE(parse_hash_hex(kRoots[8], "x"));
  EXPECT_FALSE(parse_hash_hex(kRoots[8].substr(1), "x"));
  std::string upper = kRoots[8];
  upper[0] = 'D';
  EXPECT_EQ(parse_hash_hex(upper, "leaf_hash").error().code, ErrorCode::kMalformed);
  EXPECT_NE(
      parse_hash_hex("zz" + kRoots[8].substr(2), "leaf_hash").error().message.find("leaf_hash"),
      std::string::npos);
}

}  // namespace
}  // namespace pactum::ledger

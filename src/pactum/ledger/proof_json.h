#pragma once

// The JSON form of proofs, as GET /api/v1/ledger/proof/... answers them and `pactum ledger
// verify` reads them back:
//   inclusion:   {"leaf_index": I, "size": N, "leaf_hash": "<hex>", "proof": ["<hex>", ...]}
//   consistency: {"from": M, "to": N, "proof": ["<hex>", ...]}
// Hashes are 64 lower-case hex digits; proofs are in RFC 9162 order.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/ledger/hash.h"

namespace pactum::ledger {

// kMaxProofJsonBytes bounds a proof in JSON (64 hashes are ~4.3 KiB).
inline constexpr std::size_t kMaxProofJsonBytes = 16 * 1024;

struct InclusionProof {
  std::uint64_t leaf_index = 0;
  std::uint64_t size = 0;
  Hash leaf_hash{};
  std::vector<Hash> proof;
};

struct ConsistencyProof {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::vector<Hash> proof;
};

// inclusion_proof_json and consistency_proof_json write the forms above.
std::string inclusion_proof_json(const InclusionProof& proof);
std::string consistency_proof_json(const ConsistencyProof& proof);

// parse_inclusion_proof and parse_consistency_proof read them back: every field required and
// typed, at most kMaxProofHashes hashes, each 64 lower-case hex digits. Fail with kMalformed
// naming the field (or the proof's position) when text is over kMaxProofJsonBytes, not JSON, or
// any field is missing or wrong. Whether the proof is correct is verify_*'s question (merkle.h).
Result<InclusionProof> parse_inclusion_proof(std::string_view text);
Result<ConsistencyProof> parse_consistency_proof(std::string_view text);

}  // namespace pactum::ledger

#include "pactum/ledger/proof_json.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/ledger/merkle.h"

namespace pactum::ledger {
namespace {

nlohmann::ordered_json hashes_json(const std::vector<Hash>& hashes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Hash& hash : hashes) {
    out.push_back(hash_hex(hash));
  }
  return out;
}

Result<nlohmann::json> parse_object(std::string_view text, std::string_view what) {
  if (text.size() > kMaxProofJsonBytes) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the {} proof is over {} bytes", what, kMaxProofJsonBytes));
  }
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return fail(ErrorCode::kMalformed, fmt::format("the {} proof is not a JSON object", what));
  }
  return json;
}

Result<std::uint64_t> count_field(const nlohmann::json& json, const char* name) {
  const auto it = json.find(name);
  if (it == json.end() || !it->is_number_unsigned()) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the proof's \"{}\" is not a non-negative integer", name));
  }
  return it->get<std::uint64_t>();
}

Result<std::vector<Hash>> hashes_field(const nlohmann::json& json) {
  const auto it = json.find("proof");
  if (it == json.end() || !it->is_array() || it->size() > kMaxProofHashes) {
    return fail(
        ErrorCode::kMalformed,
        fmt::format("the proof's \"proof\" is not an array of at most {} hashes", kMaxProofHashes));
  }
  std::vector<Hash> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    const std::string field = fmt::format("proof[{}]", i);
    if (!item.is_string()) {
      return fail(ErrorCode::kMalformed, field + " is not a string");
    }
    auto hash = parse_hash_hex(item.get_ref<const std::string&>(), field);
    if (!hash) {
      return std::unexpected(hash.error());
    }
    out.push_back(*hash);
  }
  return out;
}

}  // namespace

std::string inclusion_proof_json(const InclusionProof& proof) {
  const nlohmann::ordered_json json = {{"leaf_index", proof.leaf_index},
                                       {"size", proof.size},
                                       {"leaf_hash", hash_hex(proof.leaf_hash)},
                                       {"proof", hashes_json(proof.proof)}};
  return json.dump();
}

std::string consistency_proof_json(const ConsistencyProof& proof) {
  const nlohmann::ordered_json json = {
      {"from", proof.from}, {"to", proof.to}, {"proof", hashes_json(proof.proof)}};
  return json.dump();
}

Result<InclusionProof> parse_inclusion_proof(std::string_view text) {
  auto json = parse_object(text, "inclusion");
  if (!json) {
    return std::unexpected(json.error());
  }
  InclusionProof out;
  auto index = count_field(*json, "leaf_index");
  auto size = count_field(*json, "size");
  if (!index || !size) {
    return std::unexpected(!index ? index.error() : size.error());
  }
  out.leaf_index = *index;
  out.size = *size;
  const auto leaf = json->find("leaf_hash");
  if (leaf == json->end() || !leaf->is_string()) {
    return fail(ErrorCode::kMalformed, "the proof has no \"leaf_hash\" string");
  }
  auto leaf_hash = parse_hash_hex(leaf->get_ref<const std::string&>(), "leaf_hash");
  if (!leaf_hash) {
    return std::unexpected(leaf_hash.error());
  }
  out.leaf_hash = *leaf_hash;
  auto hashes = hashes_field(*json);
  if (!hashes) {
    return std::unexpected(hashes.error());
  }
  out.proof = std::move(*hashes);
  return out;
}

Result<ConsistencyProof> parse_consistency_proof(std::string_view text) {
  auto json = parse_object(text, "consistency");
  if (!json) {
    return std::unexpected(json.error());
  }
  ConsistencyProof out;
  auto from = count_field(*json, "from");
  auto to = count_field(*json, "to");
  if (!from || !to) {
    return std::unexpected(!from ? from.error() : to.error());
  }
  out.from = *from;
  out.to = *to;
  auto hashes = hashes_field(*json);
  if (!hashes) {
    return std::unexpected(hashes.error());
  }
  out.proof = std::move(*hashes);
  return out;
}

}  // namespace pactum::ledger

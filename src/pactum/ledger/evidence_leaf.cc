#include "pactum/ledger/evidence_leaf.h"

#include <algorithm>

#include <fmt/format.h>

namespace pactum::ledger {
namespace {

constexpr std::string_view kContractIdPrefix{"pactum-ledger contract\0", 23};

bool event_type_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

}  // namespace

Hash contract_id_hash(std::string_view contract_id) {
  Bytes input;
  append_text(input, kContractIdPrefix);
  append_text(input, contract_id);
  return sha256(input);
}

Status check_event_type(std::string_view type) {
  if (type.empty() || type.size() > kMaxEventTypeLength ||
      !std::ranges::all_of(type, event_type_char)) {
    return fail(ErrorCode::kInvalidArgument,
                "event_type must be 1 to 64 characters of a-z, 0-9, '.' and '_'");
  }
  return {};
}

Result<Bytes> encode_evidence_leaf(const EvidenceLeaf& leaf) {
  if (auto checked = check_event_type(leaf.event_type); !checked) {
    return std::unexpected(checked.error());
  }
  if (leaf.time_us < 0) {
    return fail(ErrorCode::kInvalidArgument, "an evidence event's time cannot be before 1970");
  }
  Bytes out;
  out.reserve(10 + leaf.event_type.size() + 2 * kHashSize);
  out.push_back(kEvidenceLeafVersion);
  const auto time = static_cast<std::uint64_t>(leaf.time_us);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(time >> shift));
  }
  out.push_back(static_cast<std::uint8_t>(leaf.event_type.size()));
  append_text(out, leaf.event_type);
  out.insert(out.end(), leaf.contract_id_hash.begin(), leaf.contract_id_hash.end());
  out.insert(out.end(), leaf.event_hash.begin(), leaf.event_hash.end());
  return out;
}

Result<EvidenceLeaf> decode_evidence_leaf(ByteView bytes) {
  if (bytes.size() < 10) {
    return fail(ErrorCode::kMalformed, "the evidence leaf is truncated", bytes.size());
  }
  if (bytes[0] != kEvidenceLeafVersion) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the evidence leaf has version {}, not 1", bytes[0]), 0);
  }
  std::uint64_t time = 0;
  for (std::size_t i = 1; i <= 8; ++i) {
    time = (time << 8) | bytes[i];
  }
  if (time > static_cast<std::uint64_t>(INT64_MAX)) {
    return fail(ErrorCode::kMalformed, "the evidence leaf's time is out of range", 1);
  }
  const std::size_t type_length = bytes[9];
  if (bytes.size() != 10 + type_length + 2 * kHashSize) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the evidence leaf is {} bytes; one with a {}-character event type "
                            "is {}",
                            bytes.size(), type_length, 10 + type_length + 2 * kHashSize),
                std::min(bytes.size(), 10 + type_length + 2 * kHashSize));
  }
  EvidenceLeaf leaf;
  leaf.time_us = static_cast<std::int64_t>(time);
  leaf.event_type = std::string(as_chars(bytes.subspan(10, type_length)));
  if (!check_event_type(leaf.event_type)) {
    return fail(ErrorCode::kMalformed, "the evidence leaf's event type is not a-z, 0-9, '.', '_'",
                10);
  }
  const auto contract = bytes.subspan(10 + type_length, kHashSize);
  const auto event = bytes.subspan(10 + type_length + kHashSize, kHashSize);
  std::copy(contract.begin(), contract.end(), leaf.contract_id_hash.begin());
  std::copy(event.begin(), event.end(), leaf.event_hash.begin());
  return leaf;
}

}  // namespace pactum::ledger

#pragma once

// What a leaf of the ledger is: one evidence event of a contract, as hashes only, in one stable
// canonical encoding (version 1). The leaf hash is leaf_hash(encode_evidence_leaf(leaf)).
//
//   offset  size  field
//   0       1     version, 0x01
//   1       8     time: microseconds since 1970-01-01T00:00:00Z, unsigned big-endian
//   9       1     n: length of the event type, 1 to 64
//   10      n     event type, ASCII [a-z0-9._] (e.g. "contract.signed")
//   10+n    32    contract id hash: contract_id_hash(contract id)
//   42+n    32    event hash: SHA-256 of the event's own canonical bytes (the contract layer's)
//
// No personal data ever enters a leaf: the contract id is hashed with a domain prefix and the
// event is represented only by its hash, so a public leaf reveals neither.

#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/ledger/hash.h"

namespace pactum::ledger {

// kEvidenceLeafVersion is the first byte of every version-1 leaf.
inline constexpr std::uint8_t kEvidenceLeafVersion = 1;
// kMaxEventTypeLength bounds the event type.
inline constexpr std::size_t kMaxEventTypeLength = 64;

// EvidenceLeaf is one decoded leaf.
struct EvidenceLeaf {
  std::string event_type;
  Hash contract_id_hash{};
  Hash event_hash{};
  std::int64_t time_us = 0;  // >= 0
  bool operator==(const EvidenceLeaf&) const = default;
};

// contract_id_hash returns SHA-256("pactum-ledger contract\0" || contract_id): the contract's
// name in a leaf, which anyone holding the id can recompute and nobody can reverse.
Hash contract_id_hash(std::string_view contract_id);

// check_event_type returns kInvalidArgument unless type is 1 to 64 characters of [a-z0-9._].
Status check_event_type(std::string_view type);

// encode_evidence_leaf returns the canonical bytes of leaf. kInvalidArgument if the event type
// breaks check_event_type or the time is negative.
Result<Bytes> encode_evidence_leaf(const EvidenceLeaf& leaf);

// decode_evidence_leaf reads exactly one version-1 leaf. kMalformed (with the byte offset) for
// another version, a truncated leaf, a bad event type or trailing bytes.
Result<EvidenceLeaf> decode_evidence_leaf(ByteView bytes);

}  // namespace pactum::ledger

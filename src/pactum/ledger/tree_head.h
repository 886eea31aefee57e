#pragma once

// A signed tree head: the size and root hash of the ledger at a time, signed by the ledger key
// and time-stamped by the platform TSA; its one canonical byte form (what is signed) and its
// JSON form (what GET /api/v1/ledger/head answers and `pactum ledger monitor` keeps).
//
// Signed bytes (version 1), 75 bytes:
//   "pactum-ledger-tree-head-v1" 0x00   27 bytes (26 ASCII and a zero)
//   size                                8 bytes, unsigned big-endian
//   timestamp                           8 bytes, ms since 1970-01-01T00:00:00Z, unsigned big-endian
//   root hash                           32 bytes
// signature:       ECDSA with SHA-256 (DER ECDSA-Sig-Value) over the signed bytes, by the key of
//                  the first certificate (the ledger certificate, issued by the platform CA with
//                  the ledger-signing extended key usage kLedgerSigningPurpose).
// timestamp_token: an RFC 3161 TimeStampToken from the platform TSA whose message imprint is
//                  SHA-256 of the signature: it proves the signed head existed at its genTime.
//
// JSON: {"size": N, "root_hash": "<64 hex>", "timestamp": "2026-12-04T21:44:33.123Z",
//        "signature": "<base64 DER>", "timestamp_token": "<base64 DER>",
//        "certificates": ["<base64 DER ledger certificate>", "<base64 DER issuing CA>"]}

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/ledger/hash.h"

namespace pactum::ledger {

// kLedgerSigningPurpose is the extendedKeyUsage OID a ledger certificate carries, and the only
// one; a verifier refuses heads signed by a certificate without it. PLACEHOLDER arc like the
// platform's other OIDs (pki/certificate_profiles.h).
inline constexpr std::string_view kLedgerSigningPurpose = "1.3.6.1.4.1.55555.3.1";

// kMaxHeadJsonBytes bounds a signed tree head in JSON (a token and two certificates are ~3 KiB).
inline constexpr std::size_t kMaxHeadJsonBytes = 64 * 1024;

// TreeHead is what a head states.
struct TreeHead {
  std::uint64_t size = 0;
  Hash root_hash{};
  std::int64_t timestamp_ms = 0;  // >= 0
  bool operator==(const TreeHead&) const = default;
};

// SignedTreeHead is a head with its proofs of origin and time.
struct SignedTreeHead {
  TreeHead head;
  Bytes signature;                  // DER ECDSA-Sig-Value over tree_head_signed_bytes(head)
  Bytes timestamp_token;            // DER TimeStampToken over SHA-256(signature)
  std::vector<Bytes> certificates;  // DER: the ledger certificate first, then its issuers
  bool operator==(const SignedTreeHead&) const = default;
};

// tree_head_signed_bytes returns the 75 canonical bytes of head that the ledger key signs.
Bytes tree_head_signed_bytes(const TreeHead& head);

// format_timestamp_ms returns "YYYY-MM-DDTHH:MM:SS.mmmZ" (RFC 3339, UTC, milliseconds).
std::string format_timestamp_ms(std::int64_t timestamp_ms);

// parse_timestamp_ms reads exactly the form format_timestamp_ms writes; kMalformed naming field
// otherwise (another form, an impossible date, before 1970).
Result<std::int64_t> parse_timestamp_ms(std::string_view text, std::string_view field);

// signed_tree_head_json returns the JSON form of head (fields in the order above).
std::string signed_tree_head_json(const SignedTreeHead& head);

// parse_signed_tree_head reads the JSON form. Every field is required and checked: size a
// non-negative integer, root_hash 64 lower-case hex digits, timestamp as format_timestamp_ms
// writes it, signature and timestamp_token non-empty base64 (at most 16 KiB each), certificates
// 1 to 4 base64 strings. Fails with kMalformed naming the first field that is missing or wrong,
// or when text is over kMaxHeadJsonBytes or not JSON. Says nothing about the signature's validity
// (head_verify.h).
Result<SignedTreeHead> parse_signed_tree_head(std::string_view text);

}  // namespace pactum::ledger

#pragma once

// The hashes of an RFC 9162 (Certificate Transparency 2.0) Merkle tree with SHA-256: a leaf is
// hashed as SHA-256(0x00 || leaf) and an interior node as SHA-256(0x01 || left || right), so a
// leaf can never pass for a node (RFC 9162 section 2.1.1).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::ledger {

// kHashSize is the size of every hash in the tree (SHA-256).
inline constexpr std::size_t kHashSize = 32;

// Hash is one SHA-256 value: a leaf hash, a node hash or a root hash.
using Hash = std::array<std::uint8_t, kHashSize>;

// leaf_hash returns SHA-256(0x00 || leaf).
Hash leaf_hash(ByteView leaf);

// node_hash returns SHA-256(0x01 || left || right).
Hash node_hash(const Hash& left, const Hash& right);

// empty_root returns the root hash of the empty tree, SHA-256 of no bytes.
Hash empty_root();

// sha256 returns SHA-256 of bytes (for event hashes, not tree hashes).
Hash sha256(ByteView bytes);

// hash_hex returns the 64 lower-case hexadecimal digits of hash.
std::string hash_hex(const Hash& hash);

// parse_hash_hex reads exactly 64 hexadecimal digits (lower-case; upper-case is refused so that
// every hash has one spelling). Fails with kMalformed naming field when text has another length
// or a character that is not a lower-case hex digit.
Result<Hash> parse_hash_hex(std::string_view text, std::string_view field);

// hash_from_bytes copies exactly 32 bytes into a Hash; kMalformed naming field otherwise.
Result<Hash> hash_from_bytes(ByteView bytes, std::string_view field);

}  // namespace pactum::ledger

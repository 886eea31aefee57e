#include "pactum/ledger/hash.h"

#include <openssl/sha.h>

#include <algorithm>

#include <fmt/format.h>

namespace pactum::ledger {
namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

}  // namespace

// SHA256() one-shot, not crypto::Digest: a tree hash is the inner loop of every append and
// proof, and the one-shot call allocates no context.
Hash leaf_hash(ByteView leaf) {
  Hash out{};
  constexpr std::size_t kStackLeaf = 256;
  if (leaf.size() < kStackLeaf) {
    std::array<std::uint8_t, kStackLeaf> input{};
    input[0] = kLeafPrefix;
    std::copy(leaf.begin(), leaf.end(), input.begin() + 1);
    SHA256(input.data(), leaf.size() + 1, out.data());
    return out;
  }
  Bytes input;
  input.reserve(leaf.size() + 1);
  input.push_back(kLeafPrefix);
  input.insert(input.end(), leaf.begin(), leaf.end());
  SHA256(input.data(), input.size(), out.data());
  return out;
}

Hash node_hash(const Hash& left, const Hash& right) {
  std::array<std::uint8_t, 1 + 2 * kHashSize> input{};
  input[0] = kNodePrefix;
  std::copy(left.begin(), left.end(), input.begin() + 1);
  std::copy(right.begin(), right.end(), input.begin() + 1 + kHashSize);
  Hash out{};
  SHA256(input.data(), input.size(), out.data());
  return out;
}

Hash sha256(ByteView bytes) {
  Hash out{};
  SHA256(bytes.data(), bytes.size(), out.data());
  return out;
}

Hash empty_root() { return sha256({}); }

std::string hash_hex(const Hash& hash) { return to_hex(hash); }

Result<Hash> parse_hash_hex(std::string_view text, std::string_view field) {
  if (text.size() != 2 * kHashSize) {
    return fail(ErrorCode::kMalformed,
                fmt::format("{} must be 64 lower-case hexadecimal digits (got {} characters)",
                            field, text.size()));
  }
  Hash out{};
  for (std::size_t i = 0; i < kHashSize; ++i) {
    const char high = text[2 * i];
    const char low = text[2 * i + 1];
    const auto lower_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    if (!lower_hex(high) || !lower_hex(low)) {
      return fail(ErrorCode::kMalformed,
                  fmt::format("{} must be 64 lower-case hexadecimal digits", field), 2 * i);
    }
    out.at(i) = static_cast<std::uint8_t>(hex_digit_value(high) * 16 + hex_digit_value(low));
  }
  return out;
}

Result<Hash> hash_from_bytes(ByteView bytes, std::string_view field) {
  if (bytes.size() != kHashSize) {
    return fail(ErrorCode::kMalformed,
                fmt::format("{} must be {} bytes (got {})", field, kHashSize, bytes.size()));
  }
  Hash out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

}  // namespace pactum::ledger

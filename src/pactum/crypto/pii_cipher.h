#pragma once

// Encryption of personal-data fields (names, ID numbers, phone numbers, e-mail addresses) with
// the Chinese national algorithms: SM4-CTR, then HMAC-SM3 over everything (encrypt-then-MAC;
// OpenSSL 3.0 has SM4 and SM3 but no SM4-GCM). Keys are derived from each master key of the
// keyring with HKDF-SM3 under distinct labels (encryption, MAC, blind index), so no extra key
// material is stored. Sealed format, version 1:
//
//   0x01 | id length (1) | master key id | IV (16, random) | SM4-CTR ciphertext | HMAC-SM3 (32)
//
// The MAC covers every byte before it and the context (e.g. "user.phone"), so a value cannot be
// moved to another column or record kind unnoticed.
//
// Equality look-ups use a blind index: HMAC-SM3 under a separate derived key over the kind and the
// normalised value, stored beside the ciphertext in an indexed column. After a key rotation, new
// index values are computed under the new current key; look up with blind_index_candidates (one
// per key held) until every row is re-encrypted (reencrypt) and re-indexed.

#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/keyring.h"

namespace pactum::crypto {

inline constexpr std::uint8_t kPiiFormatV1 = 0x01;

class PiiCipher {
 public:
  // create derives the field keys of every master key in the ring; kCrypto if OpenSSL fails.
  static Result<PiiCipher> create(const Keyring& keyring);

  PiiCipher(PiiCipher&&) noexcept = default;
  PiiCipher& operator=(PiiCipher&&) noexcept = default;
  PiiCipher(const PiiCipher&) = delete;
  PiiCipher& operator=(const PiiCipher&) = delete;
  ~PiiCipher();

  // encrypt seals value under the current key, bound to context. kCrypto if OpenSSL fails.
  [[nodiscard]] Result<Bytes> encrypt(std::string_view value, std::string_view context) const;

  // decrypt checks and opens a sealed value. kMalformed if the format is wrong, kNotFound if its
  // master key is not in the ring, kCrypto if the MAC does not match (altered bytes, or another
  // context). No plaintext is produced before the MAC is checked.
  [[nodiscard]] Result<std::string> decrypt(ByteView sealed, std::string_view context) const;

  // reencrypt opens a value and seals it again under the current key (after a rotation).
  [[nodiscard]] Result<Bytes> reencrypt(ByteView sealed, std::string_view context) const;

  // blind_index returns the 64-hex-digit index of a value of a kind ("phone", "email", ...)
  // under the current key: equal normalised values give equal indexes, and nothing about the
  // value can be learnt without the key.
  [[nodiscard]] Result<std::string> blind_index(std::string_view kind,
                                                std::string_view value) const;

  // blind_index_candidates returns the value's index under every key held (current first), for
  // look-ups while rows indexed under an older key remain.
  [[nodiscard]] Result<std::vector<std::string>> blind_index_candidates(
      std::string_view kind, std::string_view value) const;

  // normalize_for_index is what the index sees: leading and trailing white space removed, inner
  // spaces and hyphens removed, ASCII letters lower-cased ("138 0013-8000" = "13800138000",
  // "Alice@Example.com" = "alice@example.com").
  static std::string normalize_for_index(std::string_view value);

  // current_key_id is the id of the master key new values are sealed and indexed under.
  [[nodiscard]] const std::string& current_key_id() const { return keys_.front().id; }

  // key_id_of reads which master key sealed a value, without opening it (re-sealing after a
  // rotation skips values already under the current key). kMalformed if it is not format v1.
  static Result<std::string_view> key_id_of(ByteView sealed);

 private:
  struct FieldKeys {
    std::string id;
    Bytes encryption;  // SM4 key, 16 bytes
    Bytes mac;         // HMAC-SM3 key, 32 bytes
    Bytes index;       // HMAC-SM3 key, 32 bytes
  };

  PiiCipher() = default;
  [[nodiscard]] const FieldKeys* find(std::string_view id) const;
  [[nodiscard]] static Result<std::string> index_under(const FieldKeys& keys,
                                                       std::string_view kind,
                                                       std::string_view value);

  std::vector<FieldKeys> keys_;  // current first
};

}  // namespace pactum::crypto

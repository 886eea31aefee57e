#pragma once

#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/pii_cipher.h"

namespace pactum::domain {

// CryptoPiiCipher is the production PiiCipher: store's SM4-CTR + HMAC-SM3 field cipher and
// keyed blind index under the data directory's master keyring (crypto/pii_cipher.h). The field
// name is the cipher's context and the index's kind. New rows are indexed under the current key;
// look-ups try every key the ring holds, so rows not yet re-indexed after a master-key rotation
// (domain/key_rotation.h) are still found.
class CryptoPiiCipher final : public PiiCipher {
 public:
  // CryptoPiiCipher uses cipher, which must outlive it.
  explicit CryptoPiiCipher(const crypto::PiiCipher& cipher) : cipher_(cipher) {}

  [[nodiscard]] Result<Bytes> seal(std::string_view field,
                                   std::string_view plaintext) const override {
    return cipher_.encrypt(plaintext, field);
  }
  [[nodiscard]] Result<std::string> open(std::string_view field, ByteView sealed) const override {
    return cipher_.decrypt(sealed, field);
  }
  [[nodiscard]] Result<std::string> blind_index(std::string_view field,
                                                std::string_view value) const override {
    return cipher_.blind_index(field, value);
  }
  [[nodiscard]] Result<std::vector<std::string>> blind_index_candidates(
      std::string_view field, std::string_view value) const override {
    return cipher_.blind_index_candidates(field, value);
  }

 private:
  const crypto::PiiCipher& cipher_;
};

}  // namespace pactum::domain

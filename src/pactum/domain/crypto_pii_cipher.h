#pragma once

#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/pii_cipher.h"

namespace pactum::domain {

// CryptoPiiCipher is the production PiiCipher: store's SM4-CTR + HMAC-SM3 field cipher and
// keyed blind index under the data directory's master keyring (crypto/pii_cipher.h). The field
// name is the cipher's context and the index's kind. Look-ups use the current key's index only,
// so after a master-key rotation the users' login_index values must be recomputed (not done yet).
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

 private:
  const crypto::PiiCipher& cipher_;
};

}  // namespace pactum::domain

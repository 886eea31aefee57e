#pragma once

// A PiiCipher for domain tests that do not exercise store's field cipher: AES-256-GCM with the
// field name as associated data, HMAC-SHA256 blind index, one random key per test. Real
// cryptography, so "not in clear" assertions mean something.

#include <openssl/evp.h>

#include <memory>

#include "pactum/base/bytes.h"
#include "pactum/crypto/hmac.h"
#include "pactum/crypto/random.h"
#include "pactum/domain/pii_cipher.h"

namespace pactum::testing {

class AesGcmPiiCipherForTest final : public domain::PiiCipher {
 public:
  AesGcmPiiCipherForTest() : key_(crypto::random_bytes(32).value()) {}

  [[nodiscard]] Result<Bytes> seal(std::string_view field,
                                   std::string_view plaintext) const override {
    Bytes out = crypto::random_bytes(12).value();
    out.resize(12 + plaintext.size() + 16);
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    int n = 0;
    const ByteView text = as_bytes(plaintext);
    const ByteView aad = as_bytes(field);
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), out.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data() + 12, &n, text.data(),
                          static_cast<int>(text.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + 12 + n, &n) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16,
                            out.data() + 12 + plaintext.size()) != 1) {
      return fail(ErrorCode::kCrypto, "seal failed");
    }
    return out;
  }

  [[nodiscard]] Result<std::string> open(std::string_view field, ByteView sealed) const override {
    if (sealed.size() < 28) {
      return fail(ErrorCode::kCrypto, "too short");
    }
    const std::size_t length = sealed.size() - 28;
    std::string out(length, '\0');
    Bytes tag(sealed.end() - 16, sealed.end());
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    int n = 0;
    const ByteView aad = as_bytes(field);
    auto* plain = reinterpret_cast<unsigned char*>(out.data());  // NOLINT
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), sealed.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), plain, &n, sealed.data() + 12, static_cast<int>(length)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), plain + n, &n) != 1) {
      return fail(ErrorCode::kCrypto, "open failed");
    }
    return out;
  }

  [[nodiscard]] Result<std::string> blind_index(std::string_view field,
                                                std::string_view value) const override {
    return to_hex(crypto::hmac_sha256(key_, as_bytes(std::string(field) + '\0' + std::string(value))));
  }

 private:
  Bytes key_;
};

inline std::unique_ptr<domain::PiiCipher> make_pii_cipher_for_test() {
  return std::make_unique<AesGcmPiiCipherForTest>();
}

}  // namespace pactum::testing

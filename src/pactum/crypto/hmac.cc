#include "pactum/crypto/hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

Bytes hmac_sha256(ByteView key, ByteView message) {
  Bytes tag(kHmacSha256Size);
  unsigned int length = 0;
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr std::uint8_t kEmpty = 0;
  const std::uint8_t* key_data = key.empty() ? &kEmpty : key.data();
  if (HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), message.data(), message.size(),
           tag.data(), &length) == nullptr ||
      length != kHmacSha256Size) {
    throw std::runtime_error(openssl_error("HMAC-SHA256").message);
  }
  return tag;
}

bool constant_time_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pactum::crypto

#include "pactum/crypto/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <limits>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

Status fill_random(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int; fill in slices so any size works.
  constexpr std::size_t kSlice = 1U << 20U;
  for (std::size_t at = 0; at < out.size(); at += kSlice) {
    const std::size_t n = std::min(kSlice, out.size() - at);
    if (RAND_bytes(out.data() + at, static_cast<int>(n)) != 1) {
      return openssl_fail("RAND_bytes");
    }
  }
  return {};
}

Result<Bytes> random_bytes(std::size_t n) {
  Bytes out(n);
  Status filled = fill_random(out);
  if (!filled) {
    return std::unexpected(filled.error());
  }
  return out;
}

void cleanse(std::span<std::uint8_t> secret) {
  if (!secret.empty()) {
    OPENSSL_cleanse(secret.data(), secret.size());
  }
}

}  // namespace pactum::crypto

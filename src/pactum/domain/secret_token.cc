#include "pactum/domain/secret_token.h"

#include "pactum/base/bytes.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/random.h"

namespace pactum::domain {

DomainResult<std::string> new_secret_token() {
  auto bytes = crypto::random_bytes(kTokenBytes);
  if (!bytes) {
    return internal("drawing a token", bytes.error());
  }
  return to_hex(*bytes);
}

DomainResult<std::string> new_public_id(std::string_view prefix) {
  constexpr std::size_t kIdBytes = 12;
  auto bytes = crypto::random_bytes(kIdBytes);
  if (!bytes) {
    return internal("drawing an id", bytes.error());
  }
  return std::string(prefix) + to_hex(*bytes);
}

std::string token_digest(std::string_view token) {
  return to_hex(crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes(token)));
}

}  // namespace pactum::domain

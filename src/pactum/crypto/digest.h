#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

using EVP_MD = struct evp_md_st;

namespace pactum::crypto {

enum class DigestAlgorithm : std::uint8_t { kSha256, kSha384 };

// digest_name returns "sha256" or "sha384".
std::string_view digest_name(DigestAlgorithm algorithm);

// parse_digest_name accepts "sha256"/"sha384" (also "SHA-256"/"SHA-384"); kInvalidArgument else.
Result<DigestAlgorithm> parse_digest_name(std::string_view name);

// digest_size returns the output length in bytes (32 or 48).
std::size_t digest_size(DigestAlgorithm algorithm);

// Digest hashes a stream of bytes incrementally. update may be called any number of times, then
// finish once; the object may not be used after finish (nor after being moved from). Hashing
// in memory cannot fail for valid input; if OpenSSL itself fails (a broken installation) the
// constructor, update and finish throw std::runtime_error carrying the drained error queue.
class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void update(ByteView bytes);
  [[nodiscard]] Bytes finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// digest_of hashes bytes in one call.
Bytes digest_of(DigestAlgorithm algorithm, ByteView bytes);

// sha1_of hashes bytes with SHA-1. Only for identifiers that a standard defines with SHA-1
// (PAdES DSS VRI keys, OCSP CertIDs); never for anything a signature's strength rests on.
// Throws std::runtime_error only when OpenSSL itself fails, like Digest.
Bytes sha1_of(ByteView bytes);

// native_digest returns OpenSSL's static description of the algorithm; never null, not owned.
const EVP_MD* native_digest(DigestAlgorithm algorithm);

}  // namespace pactum::crypto

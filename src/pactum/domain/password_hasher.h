#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"

namespace pactum::domain {

// Argon2Parameters are the cost settings of Argon2id. The defaults follow OWASP's 2023 advice
// (19 MiB, 2 passes, 1 lane); tests pass cheaper ones.
struct Argon2Parameters {
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;

  friend bool operator==(const Argon2Parameters&, const Argon2Parameters&) = default;
};

// kMinPasswordLength and kMaxPasswordLength bound what a user may choose (bytes of UTF-8).
// The upper bound stops a megabyte "password" from becoming a hashing denial of service.
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 256;

// check_password_policy returns kInvalidInput unless the password's length is within bounds.
DomainStatus check_password_policy(std::string_view password);

// PasswordHasher hashes passwords with Argon2id into the PHC encoded form
// ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), so every stored hash carries the parameters
// it was made with and old hashes stay verifiable after the parameters change.
class PasswordHasher {
 public:
  explicit PasswordHasher(Argon2Parameters parameters = {});

  // hash returns the encoded Argon2id hash of password with a fresh 16-byte random salt;
  // kInternal if the RNG or libargon2 fails.
  [[nodiscard]] DomainResult<std::string> hash(std::string_view password) const;

  // verify returns true if password matches encoded. A malformed encoded hash verifies as
  // false. libargon2 compares the digests in constant time.
  [[nodiscard]] bool verify(std::string_view encoded, std::string_view password) const;

  // needs_rehash returns true if encoded was made with other parameters than this hasher's
  // (or is not an Argon2id hash at all), so a successful log-in should store a fresh hash.
  [[nodiscard]] bool needs_rehash(std::string_view encoded) const;

  [[nodiscard]] const Argon2Parameters& parameters() const { return parameters_; }

 private:
  Argon2Parameters parameters_;
};

}  // namespace pactum::domain

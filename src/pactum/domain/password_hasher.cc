#include "pactum/domain/password_hasher.h"

#include <argon2.h>

#include <charconv>

#include <fmt/format.h>

#include "pactum/crypto/random.h"

namespace pactum::domain {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

// read_parameter parses "<name>=<digits>" at the front of text and advances past it and one
// following ',' or '$'; false if text does not start that way.
bool read_parameter(std::string_view& text, char name, std::uint32_t& value) {
  if (text.size() < 3 || text[0] != name || text[1] != '=') {
    return false;
  }
  const char* begin = text.data() + 2;
  const char* end = text.data() + text.size();
  const auto [next, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || next == begin) {
    return false;
  }
  text.remove_prefix(static_cast<std::size_t>(next - text.data()));
  if (!text.empty() && (text[0] == ',' || text[0] == '$')) {
    text.remove_prefix(1);
  }
  return true;
}

}  // namespace

DomainStatus check_password_policy(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return refuse(DomainErrorCode::kInvalidInput,
                  fmt::format("password must have at least {} characters", kMinPasswordLength));
  }
  if (password.size() > kMaxPasswordLength) {
    return refuse(DomainErrorCode::kInvalidInput,
                  fmt::format("password must have at most {} bytes", kMaxPasswordLength));
  }
  return {};
}

PasswordHasher::PasswordHasher(Argon2Parameters parameters) : parameters_(parameters) {}

DomainResult<std::string> PasswordHasher::hash(std::string_view password) const {
  auto salt = crypto::random_bytes(kSaltBytes);
  if (!salt) {
    return internal("drawing a password salt", salt.error());
  }
  const std::size_t length =
      argon2_encodedlen(parameters_.iterations, parameters_.memory_kib, parameters_.parallelism,
                        kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(length, '\0');
  const int rc = argon2id_hash_encoded(parameters_.iterations, parameters_.memory_kib,
                                       parameters_.parallelism, password.data(), password.size(),
                                       salt->data(), salt->size(), kHashBytes, encoded.data(),
                                       encoded.size());
  if (rc != ARGON2_OK) {
    return refuse(DomainErrorCode::kInternal,
                  fmt::format("argon2id hashing failed: {}", argon2_error_message(rc)));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  // libargon2 wants a NUL-terminated encoded string.
  const std::string terminated(encoded);
  if (terminated.find('\0') != std::string::npos) {
    return false;
  }
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  constexpr std::string_view kPrefix = "$argon2id$v=19$";
  if (!encoded.starts_with(kPrefix)) {
    return true;
  }
  std::string_view rest = encoded.substr(kPrefix.size());
  Argon2Parameters found;
  if (!read_parameter(rest, 'm', found.memory_kib) ||
      !read_parameter(rest, 't', found.iterations) ||
      !read_parameter(rest, 'p', found.parallelism)) {
    return true;
  }
  return found != parameters_;
}

}  // namespace pactum::domain

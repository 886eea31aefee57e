#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"

namespace pactum::domain {

// LoginKind says whether a user logs in with an e-mail address or a phone number.
enum class LoginKind : std::uint8_t { kEmail, kPhone };

// LoginIdentifier is a normalised e-mail address or phone number: the same person typing
// " Alice@Example.COM" or "alice@example.com", "138 0013 8000" or "+8613800138000" gets the
// same value, so the blind index finds one account.
struct LoginIdentifier {
  LoginKind kind = LoginKind::kEmail;
  std::string value;
};

// normalise_login parses what a user typed as a log-in name. An e-mail address is trimmed and
// lower-cased and must have one '@' with a dotted domain (at most 254 bytes). A phone number may
// contain spaces, '-', '(' and ')'; it becomes E.164 ("+" and 8 to 15 digits), an 11-digit
// mainland China mobile number starting with 1 getting +86. kInvalidInput otherwise.
DomainResult<LoginIdentifier> normalise_login(std::string_view text);

}  // namespace pactum::domain

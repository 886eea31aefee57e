#pragma once

#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"

namespace pactum::domain {

// kTokenBytes is the entropy of session tokens, CSRF tokens and API secrets: 256 bits.
inline constexpr std::size_t kTokenBytes = 32;

// new_secret_token returns kTokenBytes fresh random bytes as 64 lower-case hex digits;
// kInternal if the RNG fails.
DomainResult<std::string> new_secret_token();

// new_public_id returns a fresh random identifier with a readable prefix, e.g. "ent_" + 24 hex
// digits (96 random bits), used for every object id so ids are neither guessable nor ordered.
DomainResult<std::string> new_public_id(std::string_view prefix);

// token_digest returns the hex SHA-256 of a token. Bearer secrets (session and CSRF tokens) are
// stored only as this digest, so a copy of the database does not hold usable sessions.
std::string token_digest(std::string_view token);

}  // namespace pactum::domain

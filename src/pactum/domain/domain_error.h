#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

#include "pactum/base/error.h"

namespace pactum::domain {

// DomainErrorCode is the one list of ways a use case can refuse. The api layer maps each to an
// HTTP status in one table (api/error_status); nothing else decides statuses.
enum class DomainErrorCode : std::uint8_t {
  kInvalidInput,      // the request names impossible values (bad e-mail, short password, ...)
  kUnauthenticated,   // no valid credentials (no session, bad password, bad signature)
  kForbidden,         // authenticated, inside the tenant, but the role lacks the permission
  kNotFound,          // no such object, or one the caller may not know exists (other tenant)
  kConflict,          // the object already exists or its state forbids the change
  kRateLimited,       // too many attempts from this client address
  kLocked,            // the account is locked after too many failed log-ins
  kReplayed,          // an API request's nonce was already used inside the window
  kExpired,           // a session, or an API signature's timestamp, is outside its window
  kUnavailable,       // an outside provider (SMS, e-mail, identity) is down or timed out
  kInternal,          // storage or crypto failed; not the caller's fault
};

// DomainError is what a use case returns when it refuses: a code and a message safe to show the
// caller (it never contains secrets or another tenant's data).
struct DomainError {
  DomainErrorCode code = DomainErrorCode::kInternal;
  std::string message;
  // retryable marks a kInternal that came from a transient storage conflict (a busy database,
  // a serialization failure): in_transaction runs the whole use case again.
  bool retryable = false;
};

// DomainResult is the return type of every use case.
template <typename T>
using DomainResult = std::expected<T, DomainError>;

// DomainStatus is a DomainResult with no value.
using DomainStatus = std::expected<void, DomainError>;

// refuse builds the unexpected side of a DomainResult in one expression.
inline std::unexpected<DomainError> refuse(DomainErrorCode code, std::string message) {
  return std::unexpected<DomainError>(DomainError{code, std::move(message)});
}

// internal turns a lower-layer Error (storage, crypto) into kInternal; the detail stays in the
// message for logs, prefixed with what was being done.
inline std::unexpected<DomainError> internal(std::string_view what, const Error& error) {
  return std::unexpected<DomainError>(DomainError{DomainErrorCode::kInternal,
                                                  std::string(what) + ": " + error.describe(),
                                                  error.code == ErrorCode::kRetryable});
}

// domain_error_code_name returns the stable lower_snake identifier of a code, used as the
// "code" of the API's JSON error ("not_found", "rate_limited", ...).
std::string_view domain_error_code_name(DomainErrorCode code);

}  // namespace pactum::domain

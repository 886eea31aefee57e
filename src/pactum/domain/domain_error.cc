#include "pactum/domain/domain_error.h"

namespace pactum::domain {

std::string_view domain_error_code_name(DomainErrorCode code) {
  switch (code) {
    case DomainErrorCode::kInvalidInput:
      return "invalid_input";
    case DomainErrorCode::kUnauthenticated:
      return "unauthenticated";
    case DomainErrorCode::kForbidden:
      return "forbidden";
    case DomainErrorCode::kNotFound:
      return "not_found";
    case DomainErrorCode::kConflict:
      return "conflict";
    case DomainErrorCode::kRateLimited:
      return "rate_limited";
    case DomainErrorCode::kLocked:
      return "account_locked";
    case DomainErrorCode::kReplayed:
      return "replayed";
    case DomainErrorCode::kExpired:
      return "expired";
    case DomainErrorCode::kUnavailable:
      return "unavailable";
    case DomainErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace pactum::domain

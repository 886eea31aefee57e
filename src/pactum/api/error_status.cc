#include "pactum/api/error_status.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace pactum::api {
namespace {

using domain::DomainErrorCode;
using http::ErrorKind;

constexpr std::array<std::pair<DomainErrorCode, ErrorKind>, 11> kTable = {{
    {DomainErrorCode::kInvalidInput, ErrorKind::kInvalidArgument},     // 400
    {DomainErrorCode::kUnauthenticated, ErrorKind::kUnauthorized},     // 401
    {DomainErrorCode::kExpired, ErrorKind::kUnauthorized},             // 401
    {DomainErrorCode::kReplayed, ErrorKind::kUnauthorized},            // 401
    {DomainErrorCode::kForbidden, ErrorKind::kForbidden},              // 403
    {DomainErrorCode::kNotFound, ErrorKind::kNotFound},                // 404
    {DomainErrorCode::kConflict, ErrorKind::kConflict},                // 409
    {DomainErrorCode::kRateLimited, ErrorKind::kRateLimited},          // 429
    {DomainErrorCode::kLocked, ErrorKind::kRateLimited},               // 429
    {DomainErrorCode::kUnavailable, ErrorKind::kUnavailable},          // 503
    {DomainErrorCode::kInternal, ErrorKind::kInternal},                // 500
}};

}  // namespace

http::ErrorKind error_kind_for(domain::DomainErrorCode code) {
  for (const auto& [domain_code, kind] : kTable) {
    if (domain_code == code) {
      return kind;
    }
  }
  return ErrorKind::kInternal;
}

http::Response domain_error_response(const http::RequestContext& context,
                                     const domain::DomainError& error) {
  if (error.code == DomainErrorCode::kInternal) {
    // The detail names our tables and keys: it is for the operator's log, not the caller.
    throw std::runtime_error("domain: " + error.message);
  }
  return http::error_response(context, error_kind_for(error.code), error.message);
}

}  // namespace pactum::api

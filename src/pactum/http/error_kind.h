#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/beast/http/status.hpp>

namespace pactum::http {

// ErrorKind is every error the HTTP API can answer with. Each has one stable lower_snake `code`
// that clients may branch on and one HTTP status, both fixed by the table in error_kind.cc, so
// no handler picks a status by hand. Layers above (domain, api) map their own failures onto
// these kinds in one place each.
enum class ErrorKind : std::uint8_t {
  kBadRequest,            // 400 bad_request: not valid HTTP, or a request we cannot make sense of
  kMalformedJson,         // 400 malformed_json: the body is not the JSON it claims to be
  kInvalidArgument,       // 400 invalid_argument: well-formed, but a field has a wrong value
  kUnauthorized,          // 401 unauthorized: no, expired or wrong credentials or signature
  kForbidden,             // 403 forbidden: authenticated, but not allowed to do this
  kNotFound,              // 404 not_found: no such resource, or not one the caller may see
  kMethodNotAllowed,      // 405 method_not_allowed: the path exists, the method does not
  kRequestTimeout,        // 408 request_timeout: the request did not arrive in time
  kConflict,              // 409 conflict: the state of the resource forbids the change
  kLengthRequired,        // 411 length_required: a body is needed but its length was not given
  kBodyTooLarge,          // 413 body_too_large: the body exceeds the configured limit
  kUnsupportedMediaType,  // 415 unsupported_media_type: the body is not of an accepted type
  kRateLimited,           // 429 rate_limited: too many attempts; retry later
  kHeaderTooLarge,        // 431 header_too_large: request line plus headers exceed the limit
  kInternal,              // 500 internal: our failure; details only in the server's log
  kUnavailable,           // 503 unavailable: shutting down or a dependency is down
};

// kErrorKindCount is the number of ErrorKind values, for tables and exhaustive tests.
inline constexpr std::size_t kErrorKindCount = 16;

// ErrorInfo is one row of the error table.
struct ErrorInfo {
  boost::beast::http::status status;
  std::string_view code;
};

// error_info returns the status and code of `kind`. Every kind has a row; a value outside the
// enum (a bug) answers as kInternal.
ErrorInfo error_info(ErrorKind kind);

// all_error_kinds returns every ErrorKind, in declaration order.
const std::array<ErrorKind, kErrorKindCount>& all_error_kinds();

// error_kind_from_code returns the kind whose code is `code`, or nullopt if none is.
std::optional<ErrorKind> error_kind_from_code(std::string_view code);

}  // namespace pactum::http

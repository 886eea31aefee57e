#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"

namespace pactum::domain {

// The headers an API app sends on every request (documented in api/README.md).
inline constexpr std::string_view kAppIdHeader = "X-Pactum-App-Id";
inline constexpr std::string_view kTimestampHeader = "X-Pactum-Timestamp";
inline constexpr std::string_view kNonceHeader = "X-Pactum-Nonce";
inline constexpr std::string_view kSignatureHeader = "X-Pactum-Signature";

// kSignatureAlgorithm is the first line of the string to sign, so a signature made for another
// scheme can never verify as ours.
inline constexpr std::string_view kSignatureAlgorithm = "PACTUM-HMAC-SHA256";

// kReplayWindow is how far a request's timestamp may be from the server's clock, either way.
// Nonces are remembered at least this long, so a captured request can never be replayed.
inline constexpr std::chrono::seconds kReplayWindow{300};

// SignedRequestParts is what an app signs: the request line, its body, and the app's timestamp
// (Unix seconds, decimal) and nonce.
struct SignedRequestParts {
  std::string_view method;      // upper case, e.g. "POST"
  std::string_view path;        // as sent, without the query, e.g. "/api/v1/enterprises"
  std::string_view raw_query;   // as sent, after '?' (may be empty)
  std::string_view timestamp;   // "1767225600"
  std::string_view nonce;       // 16 to 64 of [A-Za-z0-9_-]
  std::string_view body;
};

// canonical_query returns the query with each name and value percent-decoded, the pairs sorted
// by name then value, and re-encoded (RFC 3986 unreserved characters literal, everything else
// %XX in upper case), joined by '&'. "b=2&a=1&a=0" -> "a=0&a=1&b=2". kInvalidInput for a bad
// %-escape.
DomainResult<std::string> canonical_query(std::string_view raw_query);

// string_to_sign returns the exact text HMAC-SHA256 is computed over: seven lines joined by
// '\n' (no trailing newline): kSignatureAlgorithm, method, path, canonical query, timestamp,
// nonce, and the lower-case hex SHA-256 of the body. kInvalidInput if the query is malformed.
DomainResult<std::string> string_to_sign(const SignedRequestParts& parts);

// sign_request returns the lower-case hex HMAC-SHA256 of string_to_sign(parts) under secret;
// what a client puts in X-Pactum-Signature.
DomainResult<std::string> sign_request(std::string_view secret, const SignedRequestParts& parts);

// check_signature_freshness validates the nonce's form and that the timestamp is a decimal
// number of seconds within kReplayWindow of now; kInvalidInput for a malformed one, kExpired for
// one outside the window. Returns the timestamp.
DomainResult<std::int64_t> check_signature_freshness(const SignedRequestParts& parts,
                                                     std::chrono::system_clock::time_point now);

// signature_matches returns true if presented (hex, any case) equals sign_request(secret,
// parts), compared in constant time.
bool signature_matches(std::string_view secret, const SignedRequestParts& parts,
                       std::string_view presented);

}  // namespace pactum::domain

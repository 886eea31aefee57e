#pragma once

// Public signature verification: POST /api/v1/verify, no log-in. The body is a PDF; the answer
// is the validator's report (pdf/validator.h, the JSON of `pactum verify --json`). Nothing is
// stored: the file lives in memory for the request only.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "pactum/crypto/certificate.h"
#include "pactum/http/rate_limiter.h"
#include "pactum/http/router.h"

namespace pactum::api {

// VerifyRouteOptions: what the validator trusts, its clock, and the route's limits.
struct VerifyRouteOptions {
  // trust_anchors are the roots a signature must chain to (the node's platform root); none
  // makes every signature's trust indeterminate.
  std::vector<crypto::Certificate> trust_anchors;
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
  // max_body_bytes bounds the PDF (413 above it; the server's own body limit applies first).
  std::size_t max_body_bytes = 50U * 1024 * 1024;
  // rate is the per-client-address limit (429 above it): validation costs CPU, and anyone may ask.
  http::RateLimiterOptions rate{.limit = 30, .window = std::chrono::seconds(60)};
};

// add_verify_route registers POST /api/v1/verify. Answers:
// - 200 with the report: {"verdict":"valid"|"invalid"|"indeterminate","size","revisions",
//   "document":[...],"signatures":[...]} (fields in pdf/README.md); an altered or unsigned PDF
//   is a 200 whose verdict is invalid;
// - 415 unsupported_media_type when Content-Type is not application/pdf;
// - 400 invalid_argument when the body is empty or does not start like a PDF ("%PDF-" within
//   its first 1024 bytes);
// - 413 body_too_large above max_body_bytes;
// - 429 rate_limited over the per-address rate;
// - 500 internal when the validator itself fails (I/O, OpenSSL), logged by the router.
void add_verify_route(http::Router& router, VerifyRouteOptions options);

}  // namespace pactum::api

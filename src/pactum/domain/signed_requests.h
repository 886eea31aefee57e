#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "pactum/base/error.h"

namespace pactum::domain {

// SignedRequestBatch describes many requests of one API app to pre-sign, for load tests: the
// benchmark cannot afford to compute HMACs in its Lua client, and each request needs its own
// nonce, since the server refuses a nonce it has seen.
struct SignedRequestBatch {
  std::string app_id;
  std::string secret;
  std::string method = "GET";
  std::string path;           // e.g. /api/v1/enterprises/ent_.../departments (may carry ?query)
  std::string body_template;  // "{n}" is replaced by the request's number (unique bodies)
  std::uint64_t count = 1000;
  std::chrono::system_clock::time_point now;  // the timestamp every request carries
};

// write_signed_requests writes batch.count signed requests to path, one per line, fields
// separated by tabs: method, target, app id, timestamp, nonce, signature, body (JSON, so it holds
// no tab or newline). Requests are valid for 5 minutes from batch.now. kInvalidArgument for a
// body template with a tab or newline, kIo if the file cannot be written.
Status write_signed_requests(const SignedRequestBatch& batch, const std::string& path);

}  // namespace pactum::domain

#include "pactum/domain/signed_requests.h"

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/base/bytes.h"
#include "pactum/base/clock.h"
#include "pactum/crypto/random.h"
#include "pactum/domain/request_signature.h"

namespace pactum::domain {
namespace {

std::string replace_number(std::string text, std::uint64_t n) {
  const std::string number = std::to_string(n);
  for (auto at = text.find("{n}"); at != std::string::npos; at = text.find("{n}", at)) {
    text.replace(at, 3, number);
    at += number.size();
  }
  return text;
}

}  // namespace

Status write_signed_requests(const SignedRequestBatch& batch, const std::string& path) {
  if (batch.body_template.find_first_of("\t\r\n") != std::string::npos ||
      batch.path.find_first_of("\t\r\n ") != std::string::npos) {
    return fail(ErrorCode::kInvalidArgument, "path and body must not contain tabs or newlines");
  }
  // The nonces share one random prefix per batch, so two batches never collide.
  auto prefix = crypto::random_bytes(8);
  if (!prefix) {
    return std::unexpected(prefix.error());
  }
  const std::string nonce_prefix = "b" + to_hex(*prefix) + "-";
  const std::string timestamp = std::to_string(unix_seconds(batch.now));
  const auto query_at = batch.path.find('?');
  const std::string bare_path = batch.path.substr(0, query_at);
  const std::string query = query_at == std::string::npos ? "" : batch.path.substr(query_at + 1);
  std::string out;
  for (std::uint64_t i = 0; i < batch.count; ++i) {
    const std::string nonce = nonce_prefix + std::to_string(i);
    const std::string body = replace_number(batch.body_template, i);
    auto signature = domain::sign_request(batch.secret, {.method = batch.method,
                                                         .path = bare_path,
                                                         .raw_query = query,
                                                         .timestamp = timestamp,
                                                         .nonce = nonce,
                                                         .body = body});
    if (!signature) {
      return fail(ErrorCode::kInvalidArgument, signature.error().message);
    }
    out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", batch.method, batch.path, batch.app_id,
                       timestamp, nonce, *signature, body);
  }
  return write_file_atomically(path, as_bytes(out));
}

}  // namespace pactum::domain

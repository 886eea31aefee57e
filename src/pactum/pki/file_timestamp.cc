#include "pactum/pki/file_timestamp.h"

#include "pactum/base/byte_source.h"
#include "pactum/pki/platform_pki.h"

namespace pactum::pki {
namespace {

constexpr auto kFileDigest = crypto::DigestAlgorithm::kSha256;

}  // namespace

Result<Bytes> hash_file(const std::string& path, crypto::DigestAlgorithm algorithm) {
  auto source = open_file_source(path);
  if (!source) {
    return std::unexpected(source.error());
  }
  crypto::Digest digest(algorithm);
  if (auto st = for_each_chunk(**source, 0, (*source)->size(),
                               [&](ByteView chunk) { digest.update(chunk); });
      !st) {
    return std::unexpected(st.error());
  }
  return digest.finish();
}

namespace {

// file_query builds a time-stamp query for the file's SHA-256, asking for the TSA certificate
// and carrying a fresh nonce.
Result<Bytes> file_query(const std::string& path) {
  auto digest = hash_file(path, kFileDigest);
  if (!digest) {
    return std::unexpected(digest.error());
  }
  auto nonce = random_nonce();
  if (!nonce) {
    return std::unexpected(nonce.error());
  }
  return make_timestamp_query(kFileDigest, *digest, /*cert_req=*/true, *nonce);
}

}  // namespace

Result<FileTimestamp> stamp_file_over_http(const std::string& path, const std::string& url,
                                           const TimeStampTrust& trust,
                                           const TsaHttpOptions& options) {
  auto query = file_query(path);
  if (!query) {
    return std::unexpected(query.error());
  }
  auto reply = post_timestamp_query(url, *query, options);
  if (!reply) {
    return std::unexpected(reply.error());
  }
  auto info = verify_timestamp_response(*reply, *query, trust);
  if (!info) {
    return std::unexpected(info.error());
  }
  return FileTimestamp{std::move(*reply), std::move(*info)};
}

Result<FileTimestamp> stamp_file_in_process(const std::string& path, const PlatformPki& pki) {
  auto query = file_query(path);
  if (!query) {
    return std::unexpected(query.error());
  }
  auto reply = pki.respond_timestamp(*query);
  if (!reply) {
    return std::unexpected(reply.error());
  }
  auto info = verify_timestamp_response(
      *reply, *query, TimeStampTrust{{pki.root_certificate()}, {}, std::nullopt});
  if (!info) {
    return std::unexpected(info.error());
  }
  return FileTimestamp{std::move(*reply), std::move(*info)};
}

Result<TimeStampInfo> verify_file_timestamp(ByteView token_or_reply, const std::string& path,
                                            const TimeStampTrust& trust) {
  Bytes token;
  if (auto status = read_timestamp_status(token_or_reply); status) {
    auto inner = timestamp_token_of(token_or_reply);
    if (!inner) {
      return std::unexpected(inner.error());
    }
    token = std::move(*inner);
  } else {
    token.assign(token_or_reply.begin(), token_or_reply.end());
  }
  auto algorithm = timestamp_imprint_algorithm(token);
  if (!algorithm) {
    return fail(algorithm.error().code,
                "neither a time-stamp reply nor a time-stamp token: " +
                    algorithm.error().message);
  }
  auto digest = hash_file(path, *algorithm);
  if (!digest) {
    return std::unexpected(digest.error());
  }
  return verify_timestamp_token(token, *algorithm, *digest, std::nullopt, trust);
}

}  // namespace pactum::pki

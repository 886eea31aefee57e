#include "pactum/pki/tsa_http.h"

namespace pactum::pki {

Result<Bytes> post_timestamp_query(const std::string& url, ByteView query_der,
                                   const TsaHttpOptions& options) {
  if (url.empty()) {
    return fail(ErrorCode::kInvalidArgument, "no TSA URL given");
  }
  if (query_der.empty()) {
    return fail(ErrorCode::kInvalidArgument, "an empty time-stamp query");
  }
  return http_fetch({.url = url,
                     .post_body = query_der,
                     .content_type = "application/timestamp-query",
                     .accept = {"application/timestamp-reply", "application/timestamp-response"}},
                    options);
}

Result<TimeStampInfo> request_timestamp(const std::string& url, crypto::DigestAlgorithm algorithm,
                                        ByteView digest, const TimeStampTrust& trust,
                                        const TsaHttpOptions& options) {
  auto nonce = random_nonce();
  if (!nonce) {
    return std::unexpected(nonce.error());
  }
  auto query = make_timestamp_query(algorithm, digest, /*cert_req=*/true, *nonce);
  if (!query) {
    return std::unexpected(query.error());
  }
  auto response = post_timestamp_query(url, *query, options);
  if (!response) {
    return std::unexpected(response.error());
  }
  return verify_timestamp_response(*response, *query, trust);
}

}  // namespace pactum::pki

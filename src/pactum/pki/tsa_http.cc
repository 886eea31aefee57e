#include "pactum/pki/tsa_http.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string_view>

#include "pactum/pki/native_ptr.h"

namespace pactum::pki {
namespace {

using CurlEasy = OwnedBy<CURL, curl_easy_cleanup>;
using CurlHeaders = OwnedBy<curl_slist, curl_slist_free_all>;

// Body collects the response up to a limit; write_body stops the transfer beyond it.
struct Body {
  Bytes bytes;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t length = size * count;
  if (length > body->limit - body->bytes.size()) {
    body->too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  const ByteView chunk = as_bytes(std::string_view(data, length));
  body->bytes.insert(body->bytes.end(), chunk.begin(), chunk.end());
  return length;
}

// global_init runs curl_global_init once per process, before the first handle.
CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// media_type returns the lower-case type/subtype of a Content-Type value, parameters dropped.
std::string media_type(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Options are set in one place; any refusal is a bug or an old libcurl, reported as kIo.
CURLcode configure(CURL* curl, const std::string& url, ByteView query, curl_slist* headers,
                   Body* body, const TsaHttpOptions& options) {
  const auto timeout_ms = static_cast<long>(options.timeout.count());
  for (const CURLcode code : {
           curl_easy_setopt(curl, CURLOPT_URL, url.c_str()),
           curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"),
           curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L),
           curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L),
           curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl, CURLOPT_POST, 1L),
           curl_easy_setopt(curl, CURLOPT_POSTFIELDS, query.data()),
           curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                            static_cast<curl_off_t>(query.size())),
           curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers),
           curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body),
           curl_easy_setopt(curl, CURLOPT_WRITEDATA, body),
       }) {
    if (code != CURLE_OK) {
      return code;
    }
  }
  return CURLE_OK;
}

}  // namespace

Result<Bytes> post_timestamp_query(const std::string& url, ByteView query_der,
                                   const TsaHttpOptions& options) {
  if (url.empty()) {
    return fail(ErrorCode::kInvalidArgument, "no TSA URL given");
  }
  if (query_der.empty()) {
    return fail(ErrorCode::kInvalidArgument, "an empty time-stamp query");
  }
  if (const CURLcode code = global_init(); code != CURLE_OK) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
  }
  const CurlEasy curl(curl_easy_init());
  if (!curl) {
    return fail(ErrorCode::kIo, "cannot create a libcurl handle");
  }
  CurlHeaders headers;
  for (const char* header : {"Content-Type: application/timestamp-query",
                             "Accept: application/timestamp-reply", "Expect:"}) {
    curl_slist* longer = curl_slist_append(headers.get(), header);
    if (longer == nullptr) {
      return fail(ErrorCode::kIo, "cannot build the HTTP headers");
    }
    static_cast<void>(headers.release());  // now owned through `longer`
    headers.reset(longer);
  }
  Body body{{}, options.max_response_bytes, false};
  if (const CURLcode code = configure(curl.get(), url, query_der, headers.get(), &body, options);
      code != CURLE_OK) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot set up the request to {}: {}", url, curl_easy_strerror(code)));
  }
  if (const CURLcode code = curl_easy_perform(curl.get()); code != CURLE_OK) {
    if (body.too_large) {
      return fail(ErrorCode::kIo, fmt::format("the response from {} is larger than {} bytes", url,
                                              options.max_response_bytes));
    }
    return fail(ErrorCode::kIo,
                fmt::format("time-stamp request to {} failed: {}", url, curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return fail(ErrorCode::kIo,
                fmt::format("the TSA at {} answered HTTP {}, not 200", url, status));
  }
  const char* content_type = nullptr;
  curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) {
    const std::string type = media_type(content_type);
    if (type != "application/timestamp-reply" && type != "application/timestamp-response") {
      return fail(ErrorCode::kIo, fmt::format("the TSA at {} answered with Content-Type {}, not "
                                              "application/timestamp-reply",
                                              url, content_type));
    }
  }
  return std::move(body.bytes);
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

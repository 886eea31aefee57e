#include "pactum/pki/http_fetch.h"

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
CURLcode configure(CURL* curl, const HttpFetch& request, curl_slist* headers, Body* body,
                   const HttpLimits& limits) {
  const auto timeout_ms = static_cast<long>(limits.timeout.count());
  for (const CURLcode code : {
           curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str()),
           curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"),
           curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L),
           curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L),
           curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers),
           curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body),
           curl_easy_setopt(curl, CURLOPT_WRITEDATA, body),
       }) {
    if (code != CURLE_OK) {
      return code;
    }
  }
  if (!request.post_body) {
    return curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  for (const CURLcode code : {
           curl_easy_setopt(curl, CURLOPT_POST, 1L),
           curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.post_body->data()),
           curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                            static_cast<curl_off_t>(request.post_body->size())),
       }) {
    if (code != CURLE_OK) {
      return code;
    }
  }
  return CURLE_OK;
}

// append_header adds one header line to the list.
Status append_header(CurlHeaders& headers, const std::string& header) {
  curl_slist* longer = curl_slist_append(headers.get(), header.c_str());
  if (longer == nullptr) {
    return fail(ErrorCode::kIo, "cannot build the HTTP headers");
  }
  static_cast<void>(headers.release());  // now owned through `longer`
  headers.reset(longer);
  return {};
}

}  // namespace

Result<Bytes> http_fetch(const HttpFetch& request, const HttpLimits& limits) {
  const std::string& url = request.url;
  if (url.empty()) {
    return fail(ErrorCode::kInvalidArgument, "no URL given");
  }
  if (request.post_body && request.post_body->empty()) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("an empty request for {}", url));
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
  std::vector<std::string> lines{"Expect:"};
  if (request.post_body) {
    lines.push_back("Content-Type: " + request.content_type);
  }
  if (!request.accept.empty()) {
    lines.push_back("Accept: " + request.accept.front());
  }
  for (const std::string& line : lines) {
    if (auto st = append_header(headers, line); !st) {
      return std::unexpected(st.error());
    }
  }
  Body body{{}, limits.max_response_bytes, false};
  if (const CURLcode code = configure(curl.get(), request, headers.get(), &body, limits);
      code != CURLE_OK) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot set up the request to {}: {}", url, curl_easy_strerror(code)));
  }
  if (const CURLcode code = curl_easy_perform(curl.get()); code != CURLE_OK) {
    if (body.too_large) {
      return fail(ErrorCode::kIo, fmt::format("the response from {} is larger than {} bytes", url,
                                              limits.max_response_bytes));
    }
    return fail(ErrorCode::kIo,
                fmt::format("the request to {} failed: {}", url, curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return fail(ErrorCode::kIo, fmt::format("{} answered HTTP {}, not 200", url, status));
  }
  const char* content_type = nullptr;
  curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr && !request.accept.empty()) {
    const std::string type = media_type(content_type);
    if (std::find(request.accept.begin(), request.accept.end(), type) == request.accept.end()) {
      return fail(ErrorCode::kIo, fmt::format("{} answered with Content-Type {}, not {}", url,
                                              content_type, request.accept.front()));
    }
  }
  return std::move(body.bytes);
}

}  // namespace pactum::pki

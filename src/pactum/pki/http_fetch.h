#pragma once

// The HTTP client of the trust services (libcurl): one bounded exchange with an RFC 3161 TSA, an
// OCSP responder or a CRL distribution point. No redirects, http and https only, a time limit
// for the whole exchange and a size limit for the answer.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::pki {

// HttpLimits bounds one exchange.
struct HttpLimits {
  std::chrono::milliseconds timeout{10'000};                 // whole exchange, connecting included
  std::size_t max_response_bytes = std::size_t{256} * 1024;  // reading stops beyond this
};

// HttpFetch is one request: a GET of url, or a POST of post_body with Content-Type
// content_type; accept lists the media types a 200 answer may have (the first is sent as
// Accept; an answer without Content-Type is taken as it is; an empty list accepts any).
struct HttpFetch {
  std::string url;
  std::optional<ByteView> post_body;
  std::string content_type;
  std::vector<std::string> accept;
};

// http_fetch performs the request and returns the body of a 200 answer. Fails with kIo naming
// the URL when the transfer fails or times out, the status is not 200, the Content-Type is not
// one of accept, or the body is larger than max_response_bytes; kInvalidArgument for an empty
// URL or an empty POST body.
Result<Bytes> http_fetch(const HttpFetch& request, const HttpLimits& limits = {});

}  // namespace pactum::pki

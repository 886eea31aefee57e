#pragma once

// RFC 3161 over HTTP (section 3.4): POST a DER query as application/timestamp-query to a TSA
// URL and read the DER TimeStampResp back. Works with any external TSA and with our own endpoint.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/pki/http_fetch.h"
#include "pactum/pki/tsa_client.h"

namespace pactum::pki {

// TsaHttpOptions bounds one exchange with a TSA (a response is a few kilobytes).
using TsaHttpOptions = HttpLimits;

// post_timestamp_query POSTs query_der to url (http or https only; redirects are not followed)
// with Content-Type application/timestamp-query and returns the response body. Fails with kIo
// naming the URL when the transfer fails or times out, the status is not 200, the Content-Type
// is present but neither application/timestamp-reply nor application/timestamp-response, or the
// body is larger than max_response_bytes (reading stops there), as http_fetch; kInvalidArgument
// for an empty URL or query. The body is not parsed: hand it to verify_timestamp_response.
Result<Bytes> post_timestamp_query(const std::string& url, ByteView query_der,
                                   const TsaHttpOptions& options = {});

// request_timestamp is the whole client round trip for our own signatures: it builds a query for
// digest with certReq and a fresh random nonce, POSTs it to url, and verifies the response against
// the query under trust. Fails like make_timestamp_query, post_timestamp_query and
// verify_timestamp_response.
Result<TimeStampInfo> request_timestamp(const std::string& url, crypto::DigestAlgorithm algorithm,
                                        ByteView digest, const TimeStampTrust& trust,
                                        const TsaHttpOptions& options = {});

}  // namespace pactum::pki

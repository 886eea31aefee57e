#pragma once

#include <chrono>
#include <cstdint>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/pki/ca.h"

namespace pactum::pki {

// OcspResponseStatus is the OCSPResponseStatus of RFC 6960 section 4.2.1 for answers that carry
// no signed response.
enum class OcspResponseStatus : std::uint8_t {
  kMalformedRequest = 1,
  kInternalError = 2,
  kTryLater = 3,
  kSigRequired = 5,
  kUnauthorized = 6,
};

// kMaxOcspRequestBytes bounds the request respond_ocsp reads; larger ones are malformedRequest.
inline constexpr std::size_t kMaxOcspRequestBytes = 16 * 1024;
// kMaxOcspCertIds bounds the CertIDs answered in one request; more are malformedRequest.
inline constexpr int kMaxOcspCertIds = 32;

// respond_ocsp answers one DER OCSPRequest (RFC 6960) about certificates of ca's issuing CA and
// returns the DER OCSPResponse. It reads ca and never changes it; time comes from now.
// - A request that does not parse as exactly one OCSPRequest (or has trailing bytes, no
//   CertID, more than kMaxOcspCertIds, exceeds kMaxOcspRequestBytes, or a nonce outside the
//   1-32 bytes of RFC 8954) gets an unsigned malformedRequest response.
// - If no CertID names our issuing CA (by issuer name and key hash, under whichever hash the
//   CertID uses), the answer is unauthorized: we are not authoritative for that issuer and sign
//   nothing about it (RFC 5019 section 2.2.3; RFC 6960 section 2.3).
// - Otherwise a successful BasicOCSPResponse signed by the issuing CA key itself (RFC 6960
//   section 4.2.2.2 allows the CA as responder, so no delegated OCSP certificate is needed;
//   the issuing CA certificate is included), responderID byKey, producedAt = thisUpdate = now,
//   nextUpdate = now + validity, the request nonce echoed, and per CertID: good, revoked (with
//   revocationTime and, unless unspecified, revocationReason), or unknown for a serial we never
//   issued or a CertID of another issuer mixed into the request (RFC 6960 section 2.2).
// Fails (no response bytes at all) only if signing or encoding fails: kCrypto, or
// kInvalidArgument if validity is not positive; the caller then answers ocsp_error_response
// (kInternalError).
Result<Bytes> respond_ocsp(ByteView request_der, const CertificateAuthority& ca,
                           std::chrono::system_clock::time_point now,
                           std::chrono::seconds validity);

// ocsp_error_response returns the DER OCSPResponse carrying only status (no responseBytes);
// kCrypto if OpenSSL cannot encode it.
Result<Bytes> ocsp_error_response(OcspResponseStatus status);

}  // namespace pactum::pki

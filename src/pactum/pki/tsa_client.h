#pragma once

// The client side of RFC 3161: building time-stamp queries, reading the status of a response, and
// verifying a response or a bare token against what was asked. Works for tokens from our own
// TimeStampAuthority and from any external TSA (transport: tsa_http.h).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"

namespace pactum::pki {

// make_timestamp_query returns a DER TimeStampReq (version 1) for digest, computed with
// algorithm: certReq as given, the nonce when given (big-endian unsigned bytes, at most 32) and
// reqPolicy when policy_oid is not empty. Fails with kInvalidArgument if digest has the wrong
// length, the nonce is empty or too long or the policy is not a dotted OID, kCrypto if OpenSSL
// fails.
Result<Bytes> make_timestamp_query(crypto::DigestAlgorithm algorithm, ByteView digest,
                                   bool cert_req, const std::optional<Bytes>& nonce,
                                   std::string_view policy_oid = {});

// random_nonce returns 16 random bytes from OpenSSL's CSPRNG for a query nonce; kCrypto if the
// generator fails.
Result<Bytes> random_nonce();

// TimeStampStatus is the PKIStatusInfo of a TimeStampResp.
struct TimeStampStatus {
  long status = 0;                    // 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, ...
  std::string text;                   // the statusString parts joined by "; " (may be empty)
  std::vector<std::string> failures;  // failInfo bits by RFC 3161 name: "badAlg", "badRequest",...

  // granted reports whether a token was issued (status granted or grantedWithMods).
  [[nodiscard]] bool granted() const { return status == 0 || status == 1; }
  // describe returns "rejection (badAlg): <text>" and the like, for messages.
  [[nodiscard]] std::string describe() const;
};

// read_timestamp_status parses a DER TimeStampResp (rejecting trailing bytes) and returns its
// status, without looking at the token; kMalformed if it is not a TimeStampResp.
Result<TimeStampStatus> read_timestamp_status(ByteView response_der);

// TimeStampTrust is what a token is verified against.
struct TimeStampTrust {
  std::vector<crypto::Certificate> anchors;        // trusted roots; at least one is required
  std::vector<crypto::Certificate> intermediates;  // untrusted helpers, also the TSA certificate
                                                   // for tokens issued without certReq
  // at is when the TSA certificate chain must be valid; unset means at the token's genTime.
  std::optional<std::chrono::system_clock::time_point> at;
};

// TimeStampInfo is what a verified token says.
struct TimeStampInfo {
  std::chrono::system_clock::time_point gen_time;  // genTime, fraction of a second dropped
  std::string gen_time_text;                       // genTime as encoded, e.g. "20260101120000Z"
  Bytes serial;                                    // big-endian unsigned
  std::string policy_oid;                          // dotted
  std::string tsa_name;                            // the tsa field (RFC 2253 for a directory
                                                   // name), empty when the token has none
  std::string imprint_algorithm;                   // "sha256", "sha384", "sha512", ...
  Bytes imprint;                                   // the hashed message
  std::optional<Bytes> nonce;                      // big-endian unsigned
  std::optional<std::chrono::microseconds> accuracy;
  bool ordering = false;
  crypto::Certificate signer;  // the TSA certificate that signed
  Bytes token;                 // DER TimeStampToken (CMS ContentInfo)
};

// verify_timestamp_response checks a DER TimeStampResp against the DER query it answers and
// returns what the token says. It requires: both parse exactly; status granted (else kRefused
// with the status, failInfo and text); a token with exactly one signer whose certificate has the
// critical extendedKeyUsage timeStamping and nothing else; TSTInfo version 1; the query's
// message imprint (algorithm and value); the query's nonce, when it had one; the query's policy,
// when it asked for one; a valid signature with an ESS signingCertificate(V2) naming the signer;
// the tsa name, when present, naming the signer; and a chain from the signer to one of
// trust.anchors valid at trust.at (default genTime) for the time-stamping purpose. Fails with
// kInvalidArgument if no anchor is given, kMalformed for unparsable bytes, kCrypto naming the
// first check that failed.
Result<TimeStampInfo> verify_timestamp_response(ByteView response_der, ByteView query_der,
                                                const TimeStampTrust& trust);

// verify_timestamp_token checks a bare DER TimeStampToken (for example the one in a signature's
// unsigned attribute) the same way, against the digest it should time-stamp and, when given, the
// nonce it should carry. Fails like verify_timestamp_response, and with kInvalidArgument if digest
// has the wrong length for algorithm.
Result<TimeStampInfo> verify_timestamp_token(ByteView token_der, crypto::DigestAlgorithm algorithm,
                                             ByteView digest, const std::optional<Bytes>& nonce,
                                             const TimeStampTrust& trust);

// timestamp_token_of returns the DER TimeStampToken inside a granted DER TimeStampResp, unverified.
// Fails with kMalformed if response_der is not exactly one TimeStampResp or has no token, kRefused
// (with the status) if it was not granted.
Result<Bytes> timestamp_token_of(ByteView response_der);

// timestamp_imprint_algorithm returns the hash algorithm of a DER TimeStampToken's message
// imprint, unverified, so a caller knows how to hash the data before verify_timestamp_token.
// kMalformed if it is not a token, kUnsupported for an algorithm other than SHA-256/384.
Result<crypto::DigestAlgorithm> timestamp_imprint_algorithm(ByteView token_der);

}  // namespace pactum::pki

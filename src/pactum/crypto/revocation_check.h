#pragma once

// Verification of revocation data found in a signed document (a PAdES DSS, or a CMS
// adbe-revocationInfoArchival attribute): an OCSP response (RFC 6960) or a CRL (RFC 5280) is
// checked for being about a given certificate, signed by someone entitled to speak for its
// issuer, and well-formed in time; then it says good, revoked (when, why) or unknown. Deciding
// what that means for a signature (was it revoked before it was signed?) is the caller's job.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"

namespace pactum::crypto {

// RevocationState is what a piece of revocation data says about one certificate.
enum class RevocationState : std::uint8_t { kGood, kRevoked, kUnknown };

// RevocationEvidence is one verified OCSP response or CRL about one certificate.
struct RevocationEvidence {
  enum class Source : std::uint8_t { kOcsp, kCrl };
  Source source = Source::kOcsp;
  RevocationState state = RevocationState::kUnknown;
  std::chrono::system_clock::time_point this_update;
  std::optional<std::chrono::system_clock::time_point> next_update;
  std::optional<std::chrono::system_clock::time_point> revocation_time;
  std::string reason;  // the CRLReason name when revoked with a reason ("keyCompromise")
  std::string signer;  // subject of the OCSP responder or the CRL issuer
};

// revocation_state_name returns "good", "revoked" or "unknown".
const char* revocation_state_name(RevocationState state);

// check_ocsp_response verifies a DER OCSPResponse about cert, issued by issuer: the response
// status is successful with a BasicOCSPResponse; a SingleResponse's CertID (under its own hash)
// names cert and issuer; the response is signed by issuer itself, or by a delegated responder
// certificate (in the response or among extra) that issuer signed, that carries the
// id-kp-OCSPSigning extended key usage and that was valid when the response was produced;
// thisUpdate is not after nextUpdate. Fails with kNotFound when the response is not about cert
// (another certificate or issuer), kMalformed when it does not parse or is not successful, and
// kCrypto naming the check that failed.
Result<RevocationEvidence> check_ocsp_response(ByteView der, const Certificate& cert,
                                               const Certificate& issuer,
                                               std::span<const Certificate> extra);

// check_crl verifies a DER CRL for cert, issued by issuer: the CRL's issuer name is cert's
// issuer and issuer's subject, its signature verifies with issuer's key, thisUpdate is not after
// nextUpdate; then it is good (not listed) or revoked (listed, with date and reason). Fails with
// kNotFound when the CRL is another issuer's, kMalformed when it does not parse, kCrypto when
// its signature or times do not hold.
Result<RevocationEvidence> check_crl(ByteView der, const Certificate& cert,
                                     const Certificate& issuer);

// ArchivedRevocation is the content of an Adobe adbe-revocationInfoArchival signed attribute.
struct ArchivedRevocation {
  std::vector<Bytes> crls;   // DER CertificateList each
  std::vector<Bytes> ocsps;  // DER OCSPResponse each
};

// split_revocation_archival splits the DER of a RevocationInfoArchival value (SEQUENCE {
// crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse
// OPTIONAL, otherRevInfo [2] ... OPTIONAL }) into its CRLs and OCSP responses, without judging
// them. Fails with kMalformed when the DER does not have that shape.
Result<ArchivedRevocation> split_revocation_archival(ByteView der);

}  // namespace pactum::crypto

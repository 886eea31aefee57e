#pragma once

// PAdES B-LT and B-LTA on a signed document (ETSI EN 319 142-1 5.4): gather the certificates
// and revocation data of every signature and time-stamp in it into the DSS, and optionally seal
// the result with a document time-stamp. `pactum sign --level B-LT|B-LTA` and `pactum ltv add`
// both end here.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/revocation_source.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/dss_writer.h"

namespace pactum::pdf {

// LtvRequest says where validation data comes from and whether to add a document time-stamp.
struct LtvRequest {
  const crypto::RevocationSource* revocation = nullptr;  // required; not owned
  // extra_certificates are issuers the document may not carry (the CA certificates of --ca-dir,
  // --chain files); they join the certificates found in the signatures and the DSS.
  std::vector<crypto::Certificate> extra_certificates;
  // fetch_issuer, when set, is asked for the issuer of a chain's last certificate that neither
  // the document nor extra_certificates hold (online: its CA issuers address), so that the
  // issuing CA's own revocation data can be gathered too; at most crypto::kMaxIssuerChain
  // questions per chain, each certificate asked about once. Returns none when it found nothing.
  std::function<std::vector<crypto::Certificate>(const crypto::Certificate&)> fetch_issuer{};
  std::chrono::system_clock::time_point now;  // written as each new VRI entry's /TU
  // document_timestamper, when set, adds a document time-stamp after the DSS update (B-LTA).
  const crypto::SignatureTimestamper* document_timestamper = nullptr;  // not owned
  crypto::DigestAlgorithm document_timestamp_digest = crypto::DigestAlgorithm::kSha256;
};

// RevokedCertificate names a certificate whose revocation data says it is revoked.
struct RevokedCertificate {
  std::string subject;
  std::chrono::system_clock::time_point revoked_at;
  bool signer = false;  // the certificate of a signature (not of a CA or a TSA)
};

// LtvResult is what add_long_term_validation appended and found.
struct LtvResult {
  Bytes appended;  // the bytes that follow the input: the DSS update, then the time-stamp's
  std::size_t signatures = 0;           // signatures (CAdES) given a VRI entry
  std::size_t document_timestamps = 0;  // document time-stamps already there given one
  DssCounts added;                      // new DSS items and VRI entries
  std::optional<std::string> document_timestamp_field;  // the new document time-stamp's field
  std::vector<RevokedCertificate> revoked;
  // notes says what was left out, e.g. a CA certificate that names no revocation service.
  std::vector<std::string> notes;
};

// add_long_term_validation reads every signature and document time-stamp in the form of pdf
// (a whole signed file in memory), builds the chain of each signer, of each signature
// time-stamp's TSA and of each document time-stamp's TSA from the certificates they carry, the
// DSS and request.extra_certificates, asks request.revocation about every certificate of those
// chains except the roots, and appends one incremental update merging all of it into the DSS
// with a VRI entry per signature and time-stamp (dss_writer.h); then, with a
// document_timestamper, a second update holding a document time-stamp. The input is never
// changed. A CA certificate the source has nothing about (kNotFound) is left without revocation
// data and named in notes; an end-entity certificate without any fails. Fails with
// kInvalidArgument when the document has no signature or the request has no revocation source,
// kNotFound when an issuer cannot be found (naming it) or an end-entity certificate has no
// revocation data, kMalformed for a signature value that is not CMS, and with the source's, the
// writer's or the time-stamper's error.
Result<LtvResult> add_long_term_validation(ByteView pdf, const LtvRequest& request);

}  // namespace pactum::pdf

#pragma once

// The signature validator: every signature in every revision of a PDF, judged for structure
// (byte range, /Contents), integrity (digest), cryptographic validity, trust (chain to given
// anchors) and what later revisions changed. Outcomes are findings in a report, never errors.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"

namespace pactum::pdf {

// Severity of one finding. kError makes the signature invalid, kIndeterminate makes it
// indeterminate (unless it is also invalid); kInfo and kWarning do not change the verdict.
enum class Severity : std::uint8_t { kInfo, kWarning, kIndeterminate, kError };

// Finding is one observation about a signature or the document: a stable identifier such as
// "byte_range.outside_file" (for programs) and a sentence (for people).
struct Finding {
  Severity severity = Severity::kInfo;
  std::string code;
  std::string message;
};

// Verdict of one signature or of the whole file.
enum class Verdict : std::uint8_t { kValid, kIndeterminate, kInvalid };

// EntryKind tells a signature from a document time-stamp (PAdES B-LTA).
enum class EntryKind : std::uint8_t { kSignature, kDocumentTimestamp };

// SignatureReport is everything the validator found about one signature or document
// time-stamp.
struct SignatureReport {
  EntryKind kind = EntryKind::kSignature;
  std::string field;        // fully qualified field name in the revision that introduced it
  int revision = 0;         // 1-based revision that introduced the signature dictionary
  int signed_revision = 0;  // 1-based revision whose end the byte range reaches; 0 for none
  bool covers_whole_file = false;
  bool in_final_form = true;  // still a field value in the last revision's AcroForm
  std::string sub_filter;
  std::vector<long long> byte_range;  // as written, when it is an array of integers
  std::string claimed_time;           // /M as written
  // timestamp_time is the genTime of the verified signature time-stamp (B-T), or of the
  // document time-stamp itself, in ISO 8601 UTC; empty when there is none or it did not verify.
  std::string timestamp_time;
  std::string timestamp_authority;  // subject of the TSA certificate that signed it
  // proven_time is the earliest time a verified time-stamp proves this entry existed (its own or
  // a later document time-stamp's); empty when nothing proves a time.
  std::string proven_time;
  std::string revocation = "not_checked";  // good | revoked | unknown | not_checked
  // revocation_fetched: some revocation data behind this verdict came from the network
  // (ValidationOptions::fetch_revocation, `pactum verify --online`), not from the file.
  bool revocation_fetched = false;
  // ltv reports whether all validation data (every certificate of the chain below the anchor and
  // verified revocation data for each) is inside the file.
  bool ltv = false;
  std::string name, reason, location;
  std::optional<int> docmdp;  // P of a certification signature
  std::string digest_algorithm;
  std::string signer_subject;
  std::string signer_issuer;
  std::vector<std::string> chain;  // subjects from the signer up, when a chain was built
  std::vector<Finding> findings;   // structure, integrity, crypto, trust
  std::vector<Finding> changes;    // what later revisions changed
  Verdict verdict = Verdict::kInvalid;
};

// ValidationReport is the result of validating one file.
struct ValidationReport {
  std::uint64_t size = 0;
  int revisions = 0;
  std::vector<Finding> document;  // findings about the file as a whole
  std::vector<SignatureReport> signatures;
  Verdict verdict = Verdict::kInvalid;
};

// ValidationOptions are the inputs besides the file.
struct ValidationOptions {
  std::vector<crypto::Certificate> trust_anchors;  // none: trust is indeterminate
  // at is the time of validation (time travel): certificates are checked at it, and one that
  // has expired by then needs a time-stamp proving the signature existed while it was valid.
  // Unset means `now`.
  std::optional<std::chrono::system_clock::time_point> at;
  // now is the current time (injected for tests).
  std::chrono::system_clock::time_point now;
  // fetch_revocation, when set (pactum verify --online), is asked for an OCSP response or CRL
  // (DER) about a certificate of a chain when the file holds none; it returns nullopt when it
  // found nothing. Never called otherwise.
  std::function<std::vector<Bytes>(const crypto::Certificate& cert,
                                    const crypto::Certificate& issuer)>
      fetch_revocation;
  // fetch_issuer, when set (pactum verify --online), is asked for the certificate(s) that may
  // have issued cert when neither the file nor the trust anchors hold its issuer (from the CA
  // issuers address it names); it returns none when it found nothing. The validator asks about
  // each certificate once and at most kMaxFetchedIssuers times per chain, so a loop of
  // addresses ends. Never called otherwise.
  std::function<std::vector<crypto::Certificate>(const crypto::Certificate& cert)> fetch_issuer;
};

// kMaxFetchedIssuers bounds how many issuers one chain may get from fetch_issuer.
inline constexpr int kMaxFetchedIssuers = 4;

// validate_pdf validates every signature in source. Fails only when the tool itself cannot work
// (kIo reading the source, kCrypto when OpenSSL breaks); a file that is not a PDF, is damaged or
// has no signature yields a report whose verdict is invalid.
Result<ValidationReport> validate_pdf(const ByteSource& source, const ValidationOptions& options);

// verdict_name returns "valid", "indeterminate" or "invalid".
const char* verdict_name(Verdict verdict);

// severity_name returns "info", "warning", "indeterminate" or "error".
const char* severity_name(Severity severity);

// render_validation_text renders a report the way Adobe's signature panel reads: one block per
// signature with its verdict, then the details.
std::string render_validation_text(const ValidationReport& report);

// render_validation_json renders a report as JSON (the shape the API and web page use).
std::string render_validation_json(const ValidationReport& report);

}  // namespace pactum::pdf

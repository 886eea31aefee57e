#pragma once

// Internal pieces of the validator (validator*.cc), not part of the library's API.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include <qpdf/QPDF.hh>

#include "pactum/base/bytes.h"
#include "pactum/crypto/certificate.h"
#include "pactum/pdf/revisions.h"
#include "pactum/pdf/validator.h"

namespace pactum::pdf::validation {

// ValueState is how a required entry of a signature dictionary was found.
enum class ValueState : std::uint8_t { kMissing, kNull, kWrongType, kPresent };

// FieldLock is a FieldMDP restriction (a /Reference with /TransformMethod /FieldMDP, or the
// field's /Lock): which form fields may no longer change after the signature.
struct FieldLock {
  std::string action;            // "/All", "/Include" or "/Exclude"
  std::set<std::string> fields;  // fully qualified names, for /Include and /Exclude

  // locks reports whether the field with this fully qualified name is locked.
  [[nodiscard]] bool locks(const std::string& name) const {
    return action == "/All" || (action == "/Include" && fields.contains(name)) ||
           (action == "/Exclude" && !fields.contains(name));
  }
};

// SignatureDict is what one signature dictionary says, copied out of qpdf so that the revision
// it was read from may be closed.
struct SignatureDict {
  std::string field;
  QPDFObjGen object;  // the indirect object holding the dictionary (the field if direct)
  int revision = 0;   // 0-based revision that introduced it
  ValueState byte_range_state = ValueState::kMissing;
  std::vector<std::optional<long long>> byte_range;  // nullopt for an item that is no integer
  ValueState contents_state = ValueState::kMissing;
  std::string contents;  // the decoded string value
  std::string type, filter, sub_filter, claimed_time, name, reason, location;
  std::optional<int> docmdp;
  std::optional<FieldLock> lock;
};

// same_signature reports whether a and b are one signature seen in two revisions: the same
// object with the same byte range and /Contents.
bool same_signature(const SignatureDict& a, const SignatureDict& b);

// OpenedRevision is one revision prefix opened with qpdf. The bytes must outlive it.
struct OpenedRevision {
  std::unique_ptr<QPDF> qpdf;  // null when qpdf could not read the prefix
  std::string error;           // why, when qpdf is null
  std::vector<std::string> warnings;
};

// open_revision opens prefix (a whole revision) with qpdf; never throws.
OpenedRevision open_revision(ByteView prefix);

// signature_dicts returns the signature fields with a value in one opened revision; kMalformed
// when qpdf fails on the form.
Result<std::vector<SignatureDict>> signature_dicts(QPDF& qpdf, int revision);

// SignedRanges are the two byte ranges a signature covers, checked to lie inside the file.
struct SignedRanges {
  std::uint64_t first_length = 0;   // [0, first_length)
  std::uint64_t second_offset = 0;  // [second_offset, second_offset + second_length)
  std::uint64_t second_length = 0;
};

// check_byte_range adds the structural findings (USF and signature-wrapping defences) for sig
// to report and returns the ranges when they are safe to hash.
std::optional<SignedRanges> check_byte_range(ByteView file, const RevisionChain& chain,
                                             const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                                             const SignatureDict& sig, SignatureReport& report);

// VerifiedTimestamp is a time-stamp token whose integrity and imprint held: who signed it and
// when. Whether its TSA is trusted is decided later (judge_trust).
struct VerifiedTimestamp {
  std::chrono::system_clock::time_point gen_time;
  crypto::Certificate tsa;
  std::vector<crypto::Certificate> certificates;  // carried by the token
};

// Evidence is what the integrity checks of one entry leave for the trust decision, which needs
// every entry's time-stamps first (a later document time-stamp proves an earlier signature).
struct Evidence {
  bool is_document_timestamp = false;
  bool intact = false;  // integrity and signature held, so its time-stamps may prove times
  std::optional<crypto::Certificate> signer;  // the signer's certificate (or the TSA's)
  std::vector<crypto::Certificate> certificates;  // embedded in the CMS or token
  std::optional<VerifiedTimestamp> timestamp;  // the signature time-stamp, or the token itself
  std::vector<Bytes> ocsps, crls;  // from adbe-revocationInfoArchival
  int signed_revision = 0;          // 1-based revision the byte range reaches
};

// check_cms adds integrity and cryptographic findings of a CAdES / PKCS#7 signature (digest,
// signature, signer certificate usage and ESS binding, signature time-stamp) and fills evidence.
// Fails only with kCrypto when OpenSSL breaks.
Status check_cms(ByteView file, const SignedRanges& ranges, const SignatureDict& sig,
                 SignatureReport& report, Evidence& evidence);

// check_document_timestamp adds the integrity findings of a document time-stamp (its token's
// imprint over the byte range, its signature, the TSA certificate's purpose) and fills evidence.
Status check_document_timestamp(ByteView file, const SignedRanges& ranges,
                                const SignatureDict& sig, SignatureReport& report,
                                Evidence& evidence);

// check_timestamp_token verifies a token over the given parts (imprint, integrity, TSA
// purpose), adding findings with codes prefixed by `prefix` ("timestamp" or "doc_timestamp");
// nullopt when it does not hold.
std::optional<VerifiedTimestamp> check_timestamp_token(ByteView token,
                                                       std::span<const ByteView> parts,
                                                       const std::string& prefix,
                                                       std::vector<Finding>& out);

// ValidationData is the certificates and revocation data the document carries outside the
// signatures (its /DSS).
struct ValidationData {
  std::vector<crypto::Certificate> certs;
  std::vector<Bytes> ocsps, crls;
};

// judge_trust decides, for every entry in order, chain, time and revocation: it finds the time
// each entry is proven to have existed, builds chains at the validation time (or at that
// proven time for expired certificates), checks revocation, and adds the findings to reports.
// Fails only with kCrypto when OpenSSL breaks.
Status judge_trust(const std::vector<Evidence>& evidence, const ValidationData& data,
                   const ValidationOptions& options, std::vector<SignatureReport>& reports);

// iso_time renders a time as "2026-01-02T03:04:05Z".
std::string iso_time(std::chrono::system_clock::time_point time);

// classify_changes compares the signed revision with the final one and adds what changed, as
// allowed (kInfo) or disallowed (kError) findings, to out. docmdp is the P in force (nullopt:
// no certification). Never throws; qpdf failures become findings.
void classify_changes(QPDF& signed_revision, QPDF& final_revision, std::optional<int> docmdp,
                      const std::optional<FieldLock>& lock, std::vector<Finding>& out);

// parse_pdf_date parses a PDF date ("D:YYYYMMDDHHmmSS+HH'mm'", later parts optional).
std::optional<std::chrono::system_clock::time_point> parse_pdf_date(std::string_view text);

// add adds a finding to a list.
inline void add(std::vector<Finding>& out, Severity severity, std::string code,
                std::string message) {
  out.push_back({severity, std::move(code), std::move(message)});
}

}  // namespace pactum::pdf::validation

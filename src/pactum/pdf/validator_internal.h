#pragma once

// Internal pieces of the validator (validator*.cc), not part of the library's API.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qpdf/QPDF.hh>

#include "pactum/base/bytes.h"
#include "pactum/pdf/revisions.h"
#include "pactum/pdf/validator.h"

namespace pactum::pdf::validation {

// ValueState is how a required entry of a signature dictionary was found.
enum class ValueState : std::uint8_t { kMissing, kNull, kWrongType, kPresent };

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

// check_cms adds integrity, validity and trust findings. Fails only with kCrypto when OpenSSL
// breaks.
Status check_cms(ByteView file, const SignedRanges& ranges, const SignatureDict& sig,
                 const ValidationOptions& options, SignatureReport& report);

// classify_changes compares the signed revision with the final one and adds what changed, as
// allowed (kInfo) or disallowed (kError) findings, to out. docmdp is the P in force (nullopt:
// no certification). Never throws; qpdf failures become findings.
void classify_changes(QPDF& signed_revision, QPDF& final_revision, std::optional<int> docmdp,
                      std::vector<Finding>& out);

// parse_pdf_date parses a PDF date ("D:YYYYMMDDHHmmSS+HH'mm'", later parts optional).
std::optional<std::chrono::system_clock::time_point> parse_pdf_date(std::string_view text);

// add adds a finding to a list.
inline void add(std::vector<Finding>& out, Severity severity, std::string code,
                std::string message) {
  out.push_back({severity, std::move(code), std::move(message)});
}

}  // namespace pactum::pdf::validation

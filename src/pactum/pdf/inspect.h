#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/byte_source.h"
#include "pactum/base/error.h"

namespace pactum::pdf {

// RevisionInfo is one revision of the file: the bytes up to and including its %%EOF marker.
struct RevisionInfo {
  std::uint64_t end = 0;  // offset just after %%EOF and its end-of-line
};

// FieldInfo is one AcroForm field.
struct FieldInfo {
  std::string name;
  std::string type;  // /Sig, /Tx, /Btn, /Ch, or empty
  int page = 0;      // 1-based page of its first widget, 0 if none
  std::vector<double> rect;
  bool has_value = false;
};

// SignatureInfo is what a signature dictionary says about itself. It is not a validation: that
// needs the validator, which checks the CMS, the certificates and later changes.
struct SignatureInfo {
  std::string field;
  std::string sub_filter;
  std::vector<long long> byte_range;
  std::size_t contents_bytes = 0;  // length of /Contents
  std::string signing_time;        // /M as written
  std::string name;
  std::string reason;
  std::string location;
  std::optional<long long> docmdp;  // P of a certification signature
  int revision = 0;                 // 1-based revision whose end the byte range reaches; 0 none
  bool covers_whole_file = false;
};

// InspectReport describes a PDF's structure without judging its signatures.
struct InspectReport {
  std::uint64_t size = 0;
  std::string pdf_version;
  int pages = 0;
  bool linearized = false;
  bool encrypted = false;
  std::vector<RevisionInfo> revisions;
  std::vector<FieldInfo> fields;
  std::vector<SignatureInfo> signatures;
  std::vector<std::string> warnings;
};

// inspect_pdf reads source and reports its revisions, fields and signatures. Fails with
// kMalformed when qpdf cannot read it at all.
Result<InspectReport> inspect_pdf(const ByteSource& source);

// render_inspect_text renders a report for people.
std::string render_inspect_text(const InspectReport& report);

// render_inspect_json renders a report as JSON.
std::string render_inspect_json(const InspectReport& report);

}  // namespace pactum::pdf

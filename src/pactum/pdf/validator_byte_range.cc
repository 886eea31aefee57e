// The structural checks of one signature: /ByteRange and /Contents (universal signature forgery
// and signature wrapping defences) and which revision the byte range covers.

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "pactum/pdf/pdf_scan.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

// kMaxDictionaryPrefix bounds how far before /Contents the signature dictionary may start.
constexpr std::uint64_t kMaxDictionaryPrefix = 1U << 20U;

const char* state_text(ValueState state) {
  switch (state) {
    case ValueState::kMissing:
      return "missing";
    case ValueState::kNull:
      return "null";
    case ValueState::kWrongType:
      return "of the wrong type";
    case ValueState::kPresent:
      return "present";
  }
  return "missing";
}

// decode_hex_gap decodes "<hex>" (the whole gap); nullopt when it is not exactly one hex string
// of hex digits.
std::optional<std::string> decode_hex_gap(std::string_view gap) {
  if (gap.size() < 2 || gap.front() != '<' || gap.back() != '>') {
    return std::nullopt;
  }
  gap = gap.substr(1, gap.size() - 2);
  std::string out;
  out.reserve(gap.size() / 2 + 1);
  for (std::size_t i = 0; i < gap.size(); i += 2) {
    const int high = hex_digit_value(gap[i]);
    const int low = i + 1 < gap.size() ? hex_digit_value(gap[i + 1]) : 0;
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

// check_contents_location checks that the gap [b, c) is the value of the /Contents key of the
// signature dictionary's own object: the object starts at most kMaxDictionaryPrefix before b,
// no "endobj" lies between its header and b, and "/Contents" precedes b.
void check_contents_location(ByteView file, const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                             const SignatureDict& sig, std::uint64_t b, SignatureReport& report) {
  const auto entry = xref.find(sig.object);
  if (entry == xref.end()) {
    add(report.findings, Severity::kError, "contents.not_located",
        fmt::format("the signature dictionary (object {} {}) is not in the cross-reference table",
                    sig.object.getObj(), sig.object.getGen()));
    return;
  }
  if (entry->second.getType() != 1) {
    add(report.findings, Severity::kError, "contents.in_object_stream",
        "the signature dictionary is inside a compressed object stream, so its /Contents cannot "
        "be the gap in the byte range");
    return;
  }
  const auto start =
      static_cast<std::uint64_t>(std::max<qpdf_offset_t>(0, entry->second.getOffset()));
  if (start >= b || b - start > kMaxDictionaryPrefix) {
    add(report.findings, Severity::kError, "byte_range.gap_not_in_dictionary",
        fmt::format("the gap of the byte range (offset {}) is not inside the signature "
                    "dictionary (object {} at offset {})",
                    b, sig.object.getObj(), start));
    return;
  }
  const std::string_view before = as_chars(file.subspan(start, b - start));
  if (before.find("endobj") != std::string_view::npos) {
    add(report.findings, Severity::kError, "byte_range.gap_not_in_dictionary",
        fmt::format("the gap of the byte range (offset {}) lies after the end of the signature "
                    "dictionary (object {} at offset {})",
                    b, sig.object.getObj(), start));
    return;
  }
  std::string_view key = before;
  while (!key.empty() && is_pdf_space(key.back())) {
    key.remove_suffix(1);
  }
  if (!key.ends_with("/Contents")) {
    add(report.findings, Severity::kError, "byte_range.gap_not_contents",
        "the gap of the byte range is not the value of the /Contents key");
  }
}

// check_revision records which revision the byte range ends at and whether it is the one that
// introduced the signature.
void check_revision(ByteView file, const RevisionChain& chain, const SignatureDict& sig,
                    std::uint64_t end, SignatureReport& report) {
  const auto& revisions = chain.revisions;
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    if (end >= revisions[i].eof_end && end <= revisions[i].end) {
      report.signed_revision = static_cast<int>(i + 1);
    }
  }
  const std::string_view rest = as_chars(file.subspan(end));
  report.covers_whole_file =
      std::all_of(rest.begin(), rest.end(), [](char c) { return is_pdf_space(c); });
  if (report.signed_revision == 0) {
    add(report.findings, Severity::kError, "byte_range.not_revision_end",
        fmt::format("the byte range ends at {}, which is not the end of any revision", end));
    return;
  }
  if (report.signed_revision != sig.revision + 1) {
    add(report.findings, Severity::kError, "byte_range.wrong_revision",
        fmt::format("the signature was added in revision {} but its byte range covers revision "
                    "{}",
                    sig.revision + 1, report.signed_revision));
    return;
  }
  add(report.findings, Severity::kInfo, "byte_range.covers_revision",
      report.covers_whole_file
          ? std::string("the byte range covers the whole file")
          : fmt::format("the byte range covers revision {} of {}; later revisions are checked "
                        "below",
                        report.signed_revision, revisions.size()));
}

}  // namespace

std::optional<SignedRanges> check_byte_range(ByteView file, const RevisionChain& chain,
                                             const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                                             const SignatureDict& sig, SignatureReport& report) {
  bool ok = true;
  if (sig.contents_state != ValueState::kPresent) {
    add(report.findings, Severity::kError, "contents.missing",
        fmt::format("/Contents is {}", state_text(sig.contents_state)));
    ok = false;
  } else if (sig.contents.empty()) {
    add(report.findings, Severity::kError, "contents.empty", "/Contents is empty");
    ok = false;
  }
  if (sig.byte_range_state != ValueState::kPresent) {
    add(report.findings, Severity::kError, "byte_range.missing",
        fmt::format("/ByteRange is {}", state_text(sig.byte_range_state)));
    return std::nullopt;
  }
  const auto& range = sig.byte_range;
  if (range.size() != 4 || std::any_of(range.begin(), range.end(), [](auto v) { return !v; })) {
    add(report.findings, Severity::kError, "byte_range.shape",
        fmt::format("/ByteRange must be 4 integers; it has {} item(s){}", range.size(),
                    range.empty() ? " (empty)" : ""));
    return std::nullopt;
  }
  for (const auto& v : range) {
    report.byte_range.push_back(*v);
  }
  if (std::any_of(range.begin(), range.end(), [](auto v) { return *v < 0; })) {
    add(report.findings, Severity::kError, "byte_range.negative",
        "/ByteRange has a negative number");
    return std::nullopt;
  }
  const auto a = static_cast<std::uint64_t>(*range[0]);
  const auto b = static_cast<std::uint64_t>(*range[1]);
  const auto c = static_cast<std::uint64_t>(*range[2]);
  const auto d = static_cast<std::uint64_t>(*range[3]);
  const std::uint64_t size = file.size();
  if (a != 0) {
    add(report.findings, Severity::kError, "byte_range.not_from_start",
        fmt::format("the byte range starts at {}, not at the start of the file", a));
    ok = false;
  }
  if (b > size || c > size || d > size - c) {
    add(report.findings, Severity::kError, "byte_range.outside_file",
        fmt::format("the byte range [{} {} {} {}] reaches outside the file ({} bytes)", a, b, c, d,
                    size));
    return std::nullopt;
  }
  if (c < b + 2) {
    add(report.findings, Severity::kError, "byte_range.overlap",
        "the byte range leaves no room for /Contents between its two parts");
    return std::nullopt;
  }
  const auto gap = decode_hex_gap(as_chars(file.subspan(b, c - b)));
  if (!gap) {
    add(report.findings, Severity::kError, "byte_range.gap_not_hex_string",
        fmt::format("the bytes the byte range leaves out ({}..{}) are not one hex string", b, c));
    ok = false;
  } else if (sig.contents_state == ValueState::kPresent && *gap != sig.contents) {
    add(report.findings, Severity::kError, "byte_range.gap_not_contents",
        "the hex string the byte range leaves out is not this signature's /Contents");
    ok = false;
  }
  check_contents_location(file, xref, sig, b, report);
  check_revision(file, chain, sig, c + d, report);
  if (!ok) {
    return std::nullopt;
  }
  return SignedRanges{b, c, d};
}

}  // namespace pactum::pdf::validation

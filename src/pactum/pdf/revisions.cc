#include "pactum/pdf/revisions.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "pactum/pdf/pdf_document.h"
#include "pactum/pdf/pdf_scan.h"

namespace pactum::pdf {
namespace {

constexpr std::string_view kEof = "%%EOF";
constexpr std::string_view kStartxref = "startxref";
// A revision tail is "startxref", an offset and "%%EOF": the keyword is looked for this far
// before the marker.
constexpr std::size_t kTailLookback = 256;
// kMaxMarkers bounds how many %%EOF markers are considered (a real file has one per revision).
constexpr std::size_t kMaxMarkers = 65536;

// Marker is one %%EOF in the file and the startxref in front of it, if any.
struct Marker {
  std::uint64_t eof_end = 0;
  std::uint64_t end = 0;
  std::optional<std::uint64_t> startxref;
};

// eol_length returns the length (0, 1 or 2) of the end-of-line at offset.
std::uint64_t eol_length(const ByteSource& source, std::uint64_t offset) {
  const Bytes next = read_at_most(source, offset, 2);
  if (next.empty()) {
    return 0;
  }
  if (next[0] == '\n') {
    return 1;
  }
  if (next[0] == '\r') {
    return next.size() > 1 && next[1] == '\n' ? 2 : 1;
  }
  return 0;
}

// startxref_before parses "startxref N" in the bytes just before a %%EOF at eof.
std::optional<std::uint64_t> startxref_before(const ByteSource& source, std::uint64_t eof) {
  const std::uint64_t from = eof > kTailLookback ? eof - kTailLookback : 0;
  const Bytes window = read_at_most(source, from, static_cast<std::size_t>(eof - from));
  std::string_view text = as_chars(window);
  const std::size_t at = text.rfind(kStartxref);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  text.remove_prefix(at + kStartxref.size());
  std::size_t i = 0;
  while (i < text.size() && is_pdf_space(text[i])) {
    ++i;
  }
  auto value = leading_integer(text.substr(i));
  if (!value) {
    return std::nullopt;
  }
  // Only white space may stand between the offset and the marker.
  std::size_t digits = i;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  for (std::size_t k = digits; k < text.size(); ++k) {
    if (!is_pdf_space(text[k])) {
      return std::nullopt;
    }
  }
  return value;
}

Result<std::vector<Marker>> find_markers(const ByteSource& source) {
  std::vector<std::uint64_t> positions;
  std::string carry;
  std::uint64_t carry_start = 0;
  auto st = for_each_chunk(source, 0, source.size(), [&](ByteView chunk) {
    std::string window = carry;
    window.append(as_chars(chunk));
    std::size_t at = 0;
    while ((at = window.find(kEof, at)) != std::string::npos && positions.size() < kMaxMarkers) {
      const std::uint64_t position = carry_start + at;
      if (positions.empty() || positions.back() < position) {
        positions.push_back(position);
      }
      at += kEof.size();
    }
    const std::size_t keep = std::min<std::size_t>(window.size(), kEof.size() - 1);
    carry_start += window.size() - keep;
    carry = window.substr(window.size() - keep);
  });
  if (!st) {
    return std::unexpected(st.error());
  }
  std::vector<Marker> markers;
  markers.reserve(positions.size());
  for (const std::uint64_t position : positions) {
    Marker m;
    m.eof_end = position + kEof.size();
    m.end = m.eof_end + eol_length(source, m.eof_end);
    m.startxref = startxref_before(source, position);
    markers.push_back(m);
  }
  return markers;
}

}  // namespace

Result<RevisionChain> find_revision_chain(const ByteSource& source) {
  auto tail = parse_file_tail(source);
  if (!tail) {
    return std::unexpected(tail.error());
  }
  auto markers = find_markers(source);
  if (!markers) {
    return std::unexpected(markers.error());
  }
  RevisionChain chain;
  // The chain of sections, newest first, from the last startxref through /Prev.
  std::set<std::uint64_t> sections;
  std::optional<std::uint64_t> next = tail->startxref;
  while (next) {
    if (sections.size() >= kMaxXrefSections) {
      chain.problems.push_back("the cross-reference chain is longer than we follow");
      break;
    }
    if (!sections.insert(*next).second) {
      chain.problems.push_back(
          fmt::format("the cross-reference chain loops back to offset {}", *next));
      break;
    }
    bool is_table = false;
    const Bytes text = xref_section_text(source, *next, is_table);
    if (text.empty()) {
      chain.problems.push_back(
          fmt::format("/Prev points at offset {}, where no cross-reference section starts", *next));
      break;
    }
    next = integer_after_key(as_chars(text), "/Prev");
  }
  // A revision is the first %%EOF whose startxref names a section of the chain.
  std::map<std::uint64_t, std::size_t> claimed;  // startxref -> index of its revision
  for (const Marker& m : *markers) {
    if (!m.startxref || !sections.contains(*m.startxref)) {
      continue;
    }
    if (const auto it = claimed.find(*m.startxref); it != claimed.end()) {
      chain.problems.push_back(fmt::format(
          "the %%EOF ending at {} repeats the startxref of revision {} without a cross-reference "
          "section of its own (content appended without an update)",
          m.eof_end, it->second + 1));
      continue;
    }
    claimed[*m.startxref] = chain.revisions.size();
    chain.revisions.push_back({m.eof_end, m.end, *m.startxref});
  }
  if (chain.revisions.empty() || chain.revisions.back().startxref != tail->startxref) {
    return fail(ErrorCode::kMalformed, "the last startxref is not followed by %%EOF");
  }
  // Whatever follows the last revision is part of no revision; white space is harmless.
  const std::uint64_t last = chain.revisions.back().end;
  std::uint64_t junk = 0;
  auto st = for_each_chunk(source, last, source.size() - last, [&](ByteView chunk) {
    for (const std::uint8_t byte : chunk) {
      if (!is_pdf_space(static_cast<char>(byte))) {
        ++junk;
      }
    }
  });
  if (!st) {
    return std::unexpected(st.error());
  }
  if (junk > 0) {
    chain.problems.push_back(fmt::format(
        "{} bytes after the last revision's %%EOF (offset {}) belong to no revision", junk, last));
  }
  return chain;
}

}  // namespace pactum::pdf

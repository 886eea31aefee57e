#pragma once

// Lexical scanning of raw PDF bytes, below qpdf: what the file tail, the cross-reference chain
// and the signature byte ranges need to look at directly. Every function reads through a
// ByteSource in bounded windows and never reads outside it.

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"

namespace pactum::pdf {

// kMaxXrefSections bounds how many cross-reference sections a chain walk visits.
inline constexpr std::size_t kMaxXrefSections = 4096;
// kXrefSectionWindow is how many bytes of a section (or its trailer) are read to find its keys.
inline constexpr std::size_t kXrefSectionWindow = 4096;

// is_pdf_space reports whether c is PDF white space (ISO 32000-1 7.2.2).
bool is_pdf_space(char c);

// ObjectHeader is the object number and generation of an "N G obj" header.
struct ObjectHeader {
  std::uint64_t number = 0;
  std::uint64_t generation = 0;
};

// parse_object_header reads "N G obj" (any PDF white space between the parts) at the start of
// text; nullopt when text does not start with one.
std::optional<ObjectHeader> parse_object_header(std::string_view text);

// looks_like_object_header reports whether text starts with "N G obj".
bool looks_like_object_header(std::string_view text);

// read_at_most returns up to n bytes of source from offset (fewer at the end of the source;
// empty when offset is past the end or the read fails).
Bytes read_at_most(const ByteSource& source, std::uint64_t offset, std::size_t n);

// find_forward returns the offset of the first occurrence of needle at or after offset, scanning
// in bounded chunks; nullopt when there is none.
std::optional<std::uint64_t> find_forward(const ByteSource& source, std::uint64_t offset,
                                          std::string_view needle);

// leading_integer parses the decimal digits that start text (at most 19); nullopt when text does
// not start with a digit.
std::optional<std::uint64_t> leading_integer(std::string_view text);

// integer_after_key finds `key` followed by white space and an integer in a dictionary's text
// (skipping longer names that merely start with key).
std::optional<std::uint64_t> integer_after_key(std::string_view text, std::string_view key);

// xref_section_text returns the text in which the keys of the cross-reference section at offset
// are written: the trailer dictionary after a table (up to startxref), or the head of an xref
// stream object (up to its stream keyword). Sets is_table accordingly; returns an empty buffer
// when no section starts at offset.
Bytes xref_section_text(const ByteSource& source, std::uint64_t offset, bool& is_table);

// xref_stream_numbers returns the object numbers of the cross-reference streams reachable from
// startxref through /Prev and /XRefStm (at most kMaxXrefSections sections).
std::set<int> xref_stream_numbers(const ByteSource& source, std::uint64_t startxref);

}  // namespace pactum::pdf

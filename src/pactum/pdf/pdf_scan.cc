#include "pactum/pdf/pdf_scan.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace pactum::pdf {

bool is_pdf_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

std::optional<ObjectHeader> parse_object_header(std::string_view text) {
  ObjectHeader header;
  std::size_t i = 0;
  for (std::uint64_t* part : {&header.number, &header.generation}) {
    const std::size_t start = i;
    while (i < text.size() && i - start < 19 &&
           std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      *part = *part * 10 + static_cast<std::uint64_t>(text[i] - '0');
      ++i;
    }
    if (i == start) {
      return std::nullopt;
    }
    const std::size_t spaces = i;
    while (i < text.size() && is_pdf_space(text[i])) {
      ++i;
    }
    if (i == spaces) {
      return std::nullopt;
    }
  }
  if (!text.substr(i).starts_with("obj")) {
    return std::nullopt;
  }
  return header;
}

bool looks_like_object_header(std::string_view text) {
  return parse_object_header(text).has_value();
}

Bytes read_at_most(const ByteSource& source, std::uint64_t offset, std::size_t n) {
  if (offset >= source.size()) {
    return {};
  }
  Bytes out(static_cast<std::size_t>(std::min<std::uint64_t>(n, source.size() - offset)));
  if (!source.read(offset, out)) {
    out.clear();
  }
  return out;
}

std::optional<std::uint64_t> find_forward(const ByteSource& source, std::uint64_t offset,
                                          std::string_view needle) {
  if (offset >= source.size()) {
    return std::nullopt;
  }
  std::optional<std::uint64_t> found;
  std::string carry;
  std::uint64_t carry_start = offset;
  (void)for_each_chunk(
      source, offset, source.size() - offset,
      [&](ByteView chunk) {
        if (found) {
          return;
        }
        std::string window = carry;
        window.append(as_chars(chunk));
        if (const auto at = window.find(needle); at != std::string::npos) {
          found = carry_start + at;
          return;
        }
        const std::size_t keep = std::min(window.size(), needle.size());
        carry_start += window.size() - keep;
        carry = window.substr(window.size() - keep);
      },
      64 * 1024);
  return found;
}

std::optional<std::uint64_t> leading_integer(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < text.size() && i < 19 && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  return i == 0 ? std::nullopt : std::optional<std::uint64_t>(value);
}

std::optional<std::uint64_t> integer_after_key(std::string_view text, std::string_view key) {
  std::size_t at = 0;
  while ((at = text.find(key, at)) != std::string_view::npos) {
    std::size_t i = at + key.size();
    at = i;
    if (i < text.size() && !is_pdf_space(text[i])) {
      continue;  // a longer name such as /PrevSomething
    }
    while (i < text.size() && is_pdf_space(text[i])) {
      ++i;
    }
    if (auto value = leading_integer(text.substr(i))) {
      return value;
    }
  }
  return std::nullopt;
}

namespace {

// up_to cuts text before the first occurrence of keyword, so that keys of later objects are not
// mistaken for the section's own.
Bytes up_to(Bytes text, std::string_view keyword) {
  const std::size_t at = as_chars(text).find(keyword);
  if (at != std::string_view::npos) {
    text.resize(at);
  }
  return text;
}

}  // namespace

Bytes xref_section_text(const ByteSource& source, std::uint64_t offset, bool& is_table) {
  is_table = false;
  Bytes head = read_at_most(source, offset, kXrefSectionWindow);
  const std::string_view text = as_chars(head);
  if (text.starts_with("xref")) {
    // A table holds only digits, spaces, 'n', 'f' and line ends: the first "trailer" after it
    // is its trailer.
    const auto trailer = find_forward(source, offset, "trailer");
    if (!trailer) {
      return {};
    }
    is_table = true;
    return up_to(read_at_most(source, *trailer, kXrefSectionWindow), "startxref");
  }
  if (leading_integer(text) && looks_like_object_header(text)) {
    return up_to(std::move(head), "stream");
  }
  return {};
}

std::set<int> xref_stream_numbers(const ByteSource& source, std::uint64_t startxref) {
  std::set<int> numbers;
  std::set<std::uint64_t> visited;
  std::vector<std::uint64_t> todo{startxref};
  while (!todo.empty() && visited.size() < kMaxXrefSections) {
    const std::uint64_t offset = todo.back();
    todo.pop_back();
    if (offset >= source.size() || !visited.insert(offset).second) {
      continue;
    }
    bool is_table = false;
    const Bytes section = xref_section_text(source, offset, is_table);
    const std::string_view text = as_chars(section);
    if (text.empty()) {
      continue;
    }
    if (!is_table) {
      numbers.insert(static_cast<int>(*leading_integer(text)));
    }
    for (const std::string_view key : {"/Prev", "/XRefStm"}) {
      if (const auto value = integer_after_key(text, key)) {
        todo.push_back(*value);
      }
    }
  }
  return numbers;
}

}  // namespace pactum::pdf

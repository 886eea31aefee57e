#include "pactum/pdf/signature_placeholder.h"

#include <algorithm>

#include <fmt/format.h>

namespace pactum::pdf {
namespace {

// "[0 a b c]": three offsets of up to 20 digits each.
constexpr std::size_t kByteRangeWidth = 3 + 3 * 21 + 1;

}  // namespace

SignaturePlaceholder make_placeholder(std::string head, std::size_t capacity) {
  SignaturePlaceholder p;
  p.text = std::move(head);
  p.capacity = capacity;
  p.text += " /ByteRange ";
  p.byte_range_at = p.text.size();
  p.text += fmt::format("{:<{}}", "[0 0 0 0]", kByteRangeWidth);
  p.text += " /Contents ";
  p.contents_at = p.text.size();
  p.text += "<";
  p.text.append(capacity * 2, '0');
  p.text += "> >>";
  return p;
}

Result<Bytes> fill_byte_range(const ByteSource& original, IncrementalUpdate& update, QPDFObjGen og,
                              const SignaturePlaceholder& placeholder,
                              crypto::DigestAlgorithm algorithm) {
  const std::size_t body = update.body_offsets.at(og);
  const std::size_t contents_begin = body + placeholder.contents_at;              // '<'
  const std::size_t contents_end = contents_begin + 2 + placeholder.capacity * 2;  // after '>'
  const std::uint64_t base = update.base_offset;
  const std::uint64_t total = base + update.bytes.size();
  const std::string range =
      fmt::format("{:<{}}",
                  fmt::format("[0 {} {} {}]", base + contents_begin, base + contents_end,
                              total - (base + contents_end)),
                  kByteRangeWidth);
  std::copy(range.begin(), range.end(),
            update.bytes.begin() + static_cast<std::ptrdiff_t>(body + placeholder.byte_range_at));

  crypto::Digest hasher(algorithm);
  if (auto st = for_each_chunk(original, 0, base, [&](ByteView c) { hasher.update(c); }); !st) {
    return std::unexpected(st.error());
  }
  const ByteView bytes(update.bytes);
  hasher.update(bytes.first(contents_begin));
  hasher.update(bytes.subspan(contents_end));
  return hasher.finish();
}

bool fill_contents(IncrementalUpdate& update, QPDFObjGen og,
                   const SignaturePlaceholder& placeholder, ByteView value) {
  if (value.size() > placeholder.capacity) {
    return false;
  }
  const std::size_t at = update.body_offsets.at(og) + placeholder.contents_at + 1;
  write_hex(value, std::span(update.bytes).subspan(at, placeholder.capacity * 2));
  return true;
}

}  // namespace pactum::pdf

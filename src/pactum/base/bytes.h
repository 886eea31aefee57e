#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pactum {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// as_bytes views the characters of a string as bytes without copying.
inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};  // NOLINT
}

// as_chars views bytes as characters without copying.
inline std::string_view as_chars(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};  // NOLINT
}

// to_hex returns lower-case hexadecimal digits for the bytes.
std::string to_hex(ByteView bytes);

// write_hex writes the lower-case hexadecimal digits of bytes into out, two per byte, stopping
// when out is full; what lies beyond 2 * bytes.size() is left alone.
void write_hex(ByteView bytes, std::span<std::uint8_t> out);

// hex_digit_value returns the value 0-15 of one hexadecimal digit (either case), or -1 when c
// is not one.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// append_text appends the characters of text to out.
inline void append_text(Bytes& out, std::string_view text) {
  const ByteView view = as_bytes(text);
  out.insert(out.end(), view.begin(), view.end());
}

}  // namespace pactum

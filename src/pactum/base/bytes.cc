#include "pactum/base/bytes.h"

#include <algorithm>

namespace pactum {

void write_hex(ByteView bytes, std::span<std::uint8_t> out) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  const std::size_t n = std::min(bytes.size(), out.size() / 2);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t b = bytes[i];
    out[2 * i] = static_cast<std::uint8_t>(kDigits[b >> 4U]);
    out[2 * i + 1] = static_cast<std::uint8_t>(kDigits[b & 0x0FU]);
  }
}

std::string to_hex(ByteView bytes) {
  std::string out(bytes.size() * 2, '\0');
  write_hex(bytes, {reinterpret_cast<std::uint8_t*>(out.data()), out.size()});  // NOLINT
  return out;
}

}  // namespace pactum

#include "pactum/base/bytes.h"

namespace pactum {

std::string to_hex(ByteView bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits.at(b >> 4U));
    out.push_back(kDigits.at(b & 0x0FU));
  }
  return out;
}

}  // namespace pactum

#include "pactum/crypto/base64.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace pactum::crypto {

std::string base64_encode(ByteView bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  if (bytes.empty()) {
    return out;
  }
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),  // NOLINT
                                      bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

std::optional<Bytes> base64_decode(std::string_view text, std::size_t max_text) {
  const bool alphabet = std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
  });
  if (text.empty() || text.size() % 4 != 0 || !alphabet || text.size() > max_text) {
    return std::nullopt;
  }
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  if (text.substr(0, text.size() - padding).find('=') != std::string_view::npos) {
    return std::nullopt;
  }
  Bytes out(text.size() / 4 * 3);
  const int written =
      EVP_DecodeBlock(out.data(), as_bytes(text).data(), static_cast<int>(text.size()));
  if (written < 0) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

}  // namespace pactum::crypto

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::domain {

// PiiCipher is how the domain protects personal data at rest (log-in names, people's names, ID
// numbers, API secrets): authenticated encryption bound to a field name, and a keyed blind index
// so an exact value can be looked up without storing it. The data directory's implementation
// wraps store's field cipher under the master key (see domain/README.md).
class PiiCipher {
 public:
  virtual ~PiiCipher() = default;

  // seal encrypts plaintext for the column named field; the field is authenticated, so a value
  // copied into another column does not open. kCrypto if the cipher fails.
  [[nodiscard]] virtual Result<Bytes> seal(std::string_view field,
                                           std::string_view plaintext) const = 0;

  // open reverses seal; kCrypto if the bytes were altered or belong to another field or key.
  [[nodiscard]] virtual Result<std::string> open(std::string_view field, ByteView sealed) const = 0;

  // blind_index returns a deterministic keyed digest (hex) of value for the column named field:
  // equal values give equal indexes, and without the key nothing about value can be learned.
  [[nodiscard]] virtual Result<std::string> blind_index(std::string_view field,
                                                        std::string_view value) const = 0;

  // blind_index_candidates returns value's index under every key a row may still be indexed
  // under (the current key first): after a master-key rotation, rows not yet re-indexed keep
  // their old index, and look-ups must find them. A cipher with one key returns blind_index.
  [[nodiscard]] virtual Result<std::vector<std::string>> blind_index_candidates(
      std::string_view field, std::string_view value) const {
    auto index = blind_index(field, value);
    if (!index) {
      return std::unexpected(index.error());
    }
    return std::vector<std::string>{std::move(*index)};
  }
};

}  // namespace pactum::domain

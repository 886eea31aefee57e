#pragma once

#include <sys/stat.h>

#include <memory>
#include <mutex>
#include <string>

#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/pii_cipher.h"

namespace pactum::domain {

// ReloadingPiiCipher is the CryptoPiiCipher of a keyring file that another process may change
// while a server runs (`pactum keys rotate|reseal|retire`): before each operation it checks with
// one stat whether the file was replaced and, if so, loads it again. So a running pactumd seals
// under a key made current after it started, opens and finds rows another process re-sealed
// under it, and stops using a retired key. If the file cannot be read or parsed, the keys held so
// far stay in use. Thread-safe.
class ReloadingPiiCipher final : public PiiCipher {
 public:
  // create loads the keyring at path; fails like crypto::Keyring::load and PiiCipher::create.
  static Result<std::unique_ptr<ReloadingPiiCipher>> create(std::string path);

  [[nodiscard]] Result<Bytes> seal(std::string_view field,
                                   std::string_view plaintext) const override;
  [[nodiscard]] Result<std::string> open(std::string_view field, ByteView sealed) const override;
  [[nodiscard]] Result<std::string> blind_index(std::string_view field,
                                                std::string_view value) const override;
  [[nodiscard]] Result<std::vector<std::string>> blind_index_candidates(
      std::string_view field, std::string_view value) const override;

 private:
  explicit ReloadingPiiCipher(std::string path) : path_(std::move(path)) {}

  // cipher returns the cipher of the keyring as the file is now.
  [[nodiscard]] std::shared_ptr<const crypto::PiiCipher> cipher() const;

  std::string path_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const crypto::PiiCipher> cipher_;  // guarded by mutex_
  mutable struct stat loaded_ {};                           // the file cipher_ came from
};

}  // namespace pactum::domain

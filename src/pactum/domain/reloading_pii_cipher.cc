#include "pactum/domain/reloading_pii_cipher.h"

#include "pactum/crypto/keyring.h"

namespace pactum::domain {
namespace {

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

Result<std::shared_ptr<const crypto::PiiCipher>> load(const std::string& path) {
  auto keyring = crypto::Keyring::load(path);
  if (!keyring) {
    return std::unexpected(keyring.error());
  }
  auto cipher = crypto::PiiCipher::create(*keyring);
  if (!cipher) {
    return std::unexpected(cipher.error());
  }
  return std::make_shared<const crypto::PiiCipher>(std::move(*cipher));
}

}  // namespace

Result<std::unique_ptr<ReloadingPiiCipher>> ReloadingPiiCipher::create(std::string path) {
  std::unique_ptr<ReloadingPiiCipher> reloading(new ReloadingPiiCipher(std::move(path)));
  // stat before loading: a change between the two is then seen as a change next time.
  if (::stat(reloading->path_.c_str(), &reloading->loaded_) != 0) {
    return fail(ErrorCode::kNotFound, reloading->path_ + " cannot be read");
  }
  auto cipher = load(reloading->path_);
  if (!cipher) {
    return std::unexpected(cipher.error());
  }
  reloading->cipher_ = std::move(*cipher);
  return reloading;
}

std::shared_ptr<const crypto::PiiCipher> ReloadingPiiCipher::cipher() const {
  struct stat now {};
  const bool readable = ::stat(path_.c_str(), &now) == 0;
  const std::lock_guard lock(mutex_);
  if (readable && !same_file(now, loaded_)) {
    if (auto fresh = load(path_)) {
      cipher_ = std::move(*fresh);
      loaded_ = now;
    }
  }
  return cipher_;
}

Result<Bytes> ReloadingPiiCipher::seal(std::string_view field, std::string_view plaintext) const {
  return cipher()->encrypt(plaintext, field);
}

Result<std::string> ReloadingPiiCipher::open(std::string_view field, ByteView sealed) const {
  return cipher()->decrypt(sealed, field);
}

Result<std::string> ReloadingPiiCipher::blind_index(std::string_view field,
                                                    std::string_view value) const {
  return cipher()->blind_index(field, value);
}

Result<std::vector<std::string>> ReloadingPiiCipher::blind_index_candidates(
    std::string_view field, std::string_view value) const {
  return cipher()->blind_index_candidates(field, value);
}

}  // namespace pactum::domain

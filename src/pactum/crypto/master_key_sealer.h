#pragma once

#include <string_view>

#include "pactum/crypto/key_sealer.h"
#include "pactum/crypto/keyring.h"

namespace pactum::crypto {

// MasterKeySealer keeps the CA's and TSA's private keys wrapped under the data directory's
// current master key (AES-256-GCM, crypto/aead.h), bound to their label. Sealed format:
//   "PSK1" | id length (1) | master key id | aead_seal value
// After Keyring::rotate, keys sealed under the old master key still open until it is retired;
// reseal them (open, then seal) first. Thread-safe: it only reads the keyring, which must
// outlive it and not change while it is used.
class MasterKeySealer final : public KeySealer {
 public:
  explicit MasterKeySealer(const Keyring& keyring) : keyring_(keyring) {}

  [[nodiscard]] std::string_view kind() const override { return "aes-256-gcm"; }
  [[nodiscard]] std::string_view file_extension() const override { return "sealed"; }
  // seal fails with kCrypto if OpenSSL or the random generator fails.
  [[nodiscard]] Result<Bytes> seal(ByteView key_pem, std::string_view label) const override;
  // open fails with kMalformed (not sealed by this sealer), kNotFound (its master key was
  // retired) or kCrypto (altered bytes, another label, another keyring).
  [[nodiscard]] Result<Bytes> open(ByteView sealed, std::string_view label) const override;

  // key_id_of reads which master key sealed a key, without opening it (so a master key is
  // retired only when nothing is sealed under it). kMalformed if not sealed by this sealer.
  static Result<std::string_view> key_id_of(ByteView sealed);

 private:
  const Keyring& keyring_;
};

}  // namespace pactum::crypto

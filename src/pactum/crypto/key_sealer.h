#pragma once

// How private keys of the platform CA and TSA are kept at rest. A KeySealer turns a key into the
// bytes stored in a file and back. The plaintext-PEM sealer is what `pactum ca init` uses on its
// own; a data directory's sealer (store) wraps the same bytes under its master key, so a stolen
// disk without the master key yields no signing key.

#include <string>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/key.h"

namespace pactum::crypto {

// KeySealer seals and opens private-key bytes. Implementations must be safe to call from several
// threads at once and must never log or keep the plaintext.
class KeySealer {
 public:
  virtual ~KeySealer() = default;

  // kind names the sealing scheme ("pem" for none, e.g. "aes-256-gcm" for a master key). It is
  // recorded beside the sealed keys so that a directory is never opened with the wrong sealer.
  [[nodiscard]] virtual std::string_view kind() const = 0;

  // file_extension is the extension of the files holding sealed keys ("pem" for plaintext PEM,
  // "sealed" otherwise), so that a file's name tells what it holds.
  [[nodiscard]] virtual std::string_view file_extension() const = 0;

  // seal returns the bytes to store for the plaintext key_pem. label names the key's purpose
  // (e.g. "pki/issuing") and is bound to the result (associated data) by sealers that
  // authenticate, so a sealed key cannot be swapped for another. Fails with kCrypto or kIo.
  [[nodiscard]] virtual Result<Bytes> seal(ByteView key_pem, std::string_view label) const = 0;

  // open returns the plaintext key PEM of sealed, which must have been sealed under label. Fails
  // with kCrypto (wrong key, tampered bytes, wrong label) or kMalformed (not sealed bytes).
  [[nodiscard]] virtual Result<Bytes> open(ByteView sealed, std::string_view label) const = 0;
};

// PlaintextPemSealer stores keys as unencrypted PKCS#8 PEM (files of mode 0600): the key is as
// safe as the file's permissions. open checks that the bytes are PEM; label is not used.
class PlaintextPemSealer final : public KeySealer {
 public:
  [[nodiscard]] std::string_view kind() const override { return "pem"; }
  [[nodiscard]] std::string_view file_extension() const override { return "pem"; }
  [[nodiscard]] Result<Bytes> seal(ByteView key_pem, std::string_view label) const override;
  [[nodiscard]] Result<Bytes> open(ByteView sealed, std::string_view label) const override;
};

// plaintext_pem_sealer returns one shared PlaintextPemSealer.
const KeySealer& plaintext_pem_sealer();

// write_sealed_key seals key (as PKCS#8 PEM) with sealer under label and writes it atomically to
// path with mode 0600. Fails like KeySealer::seal, or kIo.
Status write_sealed_key(const std::string& path, const PrivateKey& key, const KeySealer& sealer,
                        std::string_view label);

// read_sealed_key reads path, opens it with sealer under label and parses the key. Fails with
// kNotFound or kIo for the file, like KeySealer::open, or like PrivateKey::from_pem; the message
// names the path.
Result<PrivateKey> read_sealed_key(const std::string& path, const KeySealer& sealer,
                                   std::string_view label);

}  // namespace pactum::crypto

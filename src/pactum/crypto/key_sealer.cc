#include "pactum/crypto/key_sealer.h"

#include <fmt/format.h>

#include <openssl/crypto.h>

#include "pactum/base/atomic_file.h"

namespace pactum::crypto {
namespace {

constexpr std::string_view kPemStart = "-----BEGIN ";

// wipe clears key material from memory before it is freed.
void wipe(Bytes& bytes) { OPENSSL_cleanse(bytes.data(), bytes.size()); }

}  // namespace

Result<Bytes> PlaintextPemSealer::seal(ByteView key_pem, std::string_view /*label*/) const {
  return Bytes(key_pem.begin(), key_pem.end());
}

Result<Bytes> PlaintextPemSealer::open(ByteView sealed, std::string_view label) const {
  if (as_chars(sealed).find(kPemStart) == std::string_view::npos) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the {} key is not PEM (was it sealed with another key sealer?)",
                            std::string(label)));
  }
  return Bytes(sealed.begin(), sealed.end());
}

const KeySealer& plaintext_pem_sealer() {
  static const PlaintextPemSealer sealer;
  return sealer;
}

Status write_sealed_key(const std::string& path, const PrivateKey& key, const KeySealer& sealer,
                        std::string_view label) {
  auto pem = key.to_pem();
  if (!pem) {
    return std::unexpected(pem.error());
  }
  auto sealed = sealer.seal(as_bytes(*pem), label);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!sealed) {
    return std::unexpected(sealed.error());
  }
  return write_file_atomically(path, *sealed, 0600);
}

Result<PrivateKey> read_sealed_key(const std::string& path, const KeySealer& sealer,
                                   std::string_view label) {
  auto sealed = read_file(path);
  if (!sealed) {
    return std::unexpected(sealed.error());
  }
  auto pem = sealer.open(*sealed, label);
  if (!pem) {
    return fail(pem.error().code, fmt::format("{}: {}", path, pem.error().message));
  }
  auto key = PrivateKey::from_pem(*pem);
  wipe(*pem);
  if (!key) {
    return fail(key.error().code, fmt::format("{}: {}", path, key.error().message));
  }
  return key;
}

}  // namespace pactum::crypto

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"

using EVP_PKEY = struct evp_pkey_st;

namespace pactum::crypto {

enum class KeyType : std::uint8_t { kRsa, kEcP256, kEcP384 };

// key_type_name returns "RSA-2048", "RSA-3072", "ECDSA P-256", ... for reports.
std::string key_description(KeyType type, int bits);

// PrivateKey owns a private key held in memory. Copying shares the key (reference counted).
class PrivateKey {
 public:
  // from_pem parses a PEM private key (PKCS#8 or traditional, unencrypted). Accepts RSA of
  // 2048 to 4096 bits and EC keys on P-256 or P-384; anything else fails with kUnsupported,
  // unparsable input with kMalformed.
  static Result<PrivateKey> from_pem(ByteView pem);

  // generate makes a fresh key of the given type (bits is used for RSA only).
  static Result<PrivateKey> generate(KeyType type, int rsa_bits = 2048);

  [[nodiscard]] KeyType type() const { return type_; }
  [[nodiscard]] int bits() const;

  // default_digest returns the digest that matches the key strength: SHA-384 for P-384,
  // SHA-256 otherwise.
  [[nodiscard]] DigestAlgorithm default_digest() const;

  // sign hashes message with algorithm and signs it: PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value
  // for EC. Fails with kCrypto.
  [[nodiscard]] Result<Bytes> sign(DigestAlgorithm algorithm, ByteView message) const;

  // to_pem returns the key as unencrypted PKCS#8 PEM.
  [[nodiscard]] Result<std::string> to_pem() const;

  // native returns the OpenSSL key; ownership stays with this object.
  [[nodiscard]] EVP_PKEY* native() const { return key_.get(); }

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> key, KeyType type) : key_(std::move(key)), type_(type) {}

  std::shared_ptr<EVP_PKEY> key_;
  KeyType type_;
};

}  // namespace pactum::crypto

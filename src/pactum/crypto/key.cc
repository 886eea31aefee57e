#include "pactum/crypto/key.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <string_view>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 4096;

constexpr std::string_view kEncryptedKeyMessage =
    "encrypted private keys are not supported; decrypt it first (openssl pkey -in KEY -out "
    "PLAIN)";

// refuse_password is the PEM password callback: it never supplies a password (so OpenSSL never
// prompts on a terminal) and records that one was asked for.
int refuse_password(char* /*buf*/, int /*size*/, int /*rwflag*/, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

// looks_encrypted recognises the PEM forms of encrypted keys: PKCS#8 EncryptedPrivateKeyInfo
// and the traditional format with a Proc-Type header.
bool looks_encrypted(std::string_view pem) {
  return pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
         pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
}

// classify checks that key is of a kind Pactum signs with and names it.
Result<KeyType> classify(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
      return fail(ErrorCode::kUnsupported,
                  fmt::format("RSA keys of {} bits are not supported (use {} to {} bits)", bits,
                              kMinRsaBits, kMaxRsaBits));
    }
    return KeyType::kRsa;
  }
  if (EVP_PKEY_is_a(key, "EC") == 1) {
    std::array<char, 64> group{};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &length) != 1) {
      clear_openssl_errors();
      return fail(ErrorCode::kUnsupported,
                  "EC keys with explicit curve parameters are not supported (use P-256 or P-384)");
    }
    const std::string_view name(group.data(), length);
    if (name == "prime256v1" || name == "P-256") {
      return KeyType::kEcP256;
    }
    if (name == "secp384r1" || name == "P-384") {
      return KeyType::kEcP384;
    }
    return fail(ErrorCode::kUnsupported,
                fmt::format("EC curve {} is not supported (use P-256 or P-384)", name));
  }
  const char* type_name = EVP_PKEY_get0_type_name(key);
  return fail(ErrorCode::kUnsupported,
              fmt::format("{} keys are not supported (use RSA or ECDSA P-256/P-384)",
                          type_name != nullptr ? type_name : "this kind of"));
}

}  // namespace

std::string key_description(KeyType type, int bits) {
  switch (type) {
    case KeyType::kRsa:
      return fmt::format("RSA-{}", bits);
    case KeyType::kEcP256:
      return "ECDSA P-256";
    case KeyType::kEcP384:
      return "ECDSA P-384";
  }
  return "unknown key";
}

Result<PrivateKey> PrivateKey::from_pem(ByteView pem) {
  if (looks_encrypted(as_chars(pem))) {
    return fail(ErrorCode::kUnsupported, std::string(kEncryptedKeyMessage));
  }
  auto bio = memory_bio(pem);
  if (!bio) {
    return std::unexpected(bio.error());
  }
  bool password_asked = false;
  UniquePtr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio->get(), nullptr, refuse_password, &password_asked));
  if (password_asked) {
    clear_openssl_errors();
    return fail(ErrorCode::kUnsupported, std::string(kEncryptedKeyMessage));
  }
  if (!key) {
    return openssl_fail("reading a PEM private key", ErrorCode::kMalformed);
  }
  clear_openssl_errors();  // the decoders may leave notes from formats they tried first
  auto type = classify(key.get());
  if (!type) {
    return std::unexpected(type.error());
  }
  return PrivateKey(std::shared_ptr<EVP_PKEY>(std::move(key)), *type);
}

Result<PrivateKey> PrivateKey::generate(KeyType type, int rsa_bits) {
  UniquePtr<EVP_PKEY> key;
  switch (type) {
    case KeyType::kRsa:
      if (rsa_bits < kMinRsaBits || rsa_bits > kMaxRsaBits) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("RSA key size {} is outside {} to {} bits", rsa_bits, kMinRsaBits,
                                kMaxRsaBits));
      }
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits)));
      break;
    case KeyType::kEcP256:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
      break;
    case KeyType::kEcP384:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
      break;
  }
  if (!key) {
    return openssl_fail("generating a " + key_description(type, rsa_bits) + " key");
  }
  return PrivateKey(std::shared_ptr<EVP_PKEY>(std::move(key)), type);
}

int PrivateKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

DigestAlgorithm PrivateKey::default_digest() const {
  return type_ == KeyType::kEcP384 ? DigestAlgorithm::kSha384 : DigestAlgorithm::kSha256;
}

Result<Bytes> PrivateKey::sign(DigestAlgorithm algorithm, ByteView message) const {
  UniquePtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, native_digest(algorithm), nullptr,
                                     key_.get()) != 1) {
    return openssl_fail("starting a signature");
  }
  std::size_t length = 0;
  if (EVP_DigestSign(context.get(), nullptr, &length, message.data(), message.size()) != 1) {
    return openssl_fail("sizing a signature");
  }
  Bytes signature(length);
  if (EVP_DigestSign(context.get(), signature.data(), &length, message.data(), message.size()) !=
      1) {
    return openssl_fail("signing");
  }
  signature.resize(length);
  return signature;
}

Result<std::string> PrivateKey::to_pem() const {
  auto bio = new_memory_bio();
  if (!bio) {
    return std::unexpected(bio.error());
  }
  if (PEM_write_bio_PKCS8PrivateKey(bio->get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                    nullptr) != 1) {
    return openssl_fail("writing a PEM private key");
  }
  return bio_contents(bio->get());
}

}  // namespace pactum::crypto

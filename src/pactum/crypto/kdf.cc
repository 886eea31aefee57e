#include "pactum/crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <string>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

// OpenSSL's parameter arrays take non-const pointers even for inputs it only reads.
void* unconst(const void* p) { return const_cast<void*>(p); }  // NOLINT

char* digest_name_sm3() {
  static std::string name = "SM3";
  return name.data();
}

}  // namespace

Result<Bytes> hkdf_sm3(ByteView secret, std::string_view label, std::size_t length) {
  UniquePtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (kdf == nullptr) {
    return openssl_fail("HKDF fetch");
  }
  UniquePtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) {
    return openssl_fail("HKDF context");
  }
  const std::array<OSSL_PARAM, 4> params{
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name_sm3(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, unconst(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, unconst(label.data()),
                                        label.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params.data()) != 1) {
    return openssl_fail("HKDF-SM3 derive");
  }
  return out;
}

Result<Bytes> hmac_sm3(ByteView key, std::initializer_list<ByteView> parts) {
  UniquePtr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (mac == nullptr) {
    return openssl_fail("HMAC fetch");
  }
  UniquePtr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(mac.get()));
  if (ctx == nullptr) {
    return openssl_fail("HMAC context");
  }
  const std::array<OSSL_PARAM, 2> params{
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name_sm3(), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params.data()) != 1) {
    return openssl_fail("HMAC-SM3 init");
  }
  for (ByteView part : parts) {
    if (EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) {
      return openssl_fail("HMAC-SM3 update");
    }
  }
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t written = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &written, out.size()) != 1) {
    return openssl_fail("HMAC-SM3 final");
  }
  out.resize(written);
  return out;
}

}  // namespace pactum::crypto

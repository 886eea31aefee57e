#include "pactum/crypto/openssl_error.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <ctime>
#include <utility>

namespace pactum::crypto {

void free_native(BIO* p) { BIO_free_all(p); }
void free_native(EVP_PKEY* p) { EVP_PKEY_free(p); }
void free_native(EVP_PKEY_CTX* p) { EVP_PKEY_CTX_free(p); }
void free_native(EVP_MD_CTX* p) { EVP_MD_CTX_free(p); }
void free_native(X509* p) { X509_free(p); }
void free_native(X509_EXTENSION* p) { X509_EXTENSION_free(p); }
void free_native(X509_NAME* p) { X509_NAME_free(p); }
void free_native(X509_STORE* p) { X509_STORE_free(p); }
void free_native(X509_STORE_CTX* p) { X509_STORE_CTX_free(p); }
void free_native(X509_ATTRIBUTE* p) { X509_ATTRIBUTE_free(p); }
void free_native(ASN1_INTEGER* p) { ASN1_STRING_free(p); }
void free_native(BIGNUM* p) { BN_free(p); }
void free_native(CMS_ContentInfo* p) { CMS_ContentInfo_free(p); }
void free_native(ESS_SIGNING_CERT_V2* p) { ESS_SIGNING_CERT_V2_free(p); }
void free_native(struct stack_st_X509* p) { sk_X509_pop_free(p, X509_free); }
void free_native(X509_CRL* p) { X509_CRL_free(p); }
void free_native(ESS_SIGNING_CERT* p) { ESS_SIGNING_CERT_free(p); }
void free_native(struct stack_st_ASN1_OBJECT* p) { sk_ASN1_OBJECT_pop_free(p, ASN1_OBJECT_free); }
void free_native(TS_TST_INFO* p) { TS_TST_INFO_free(p); }
void free_native(X509_REVOKED* p) { X509_REVOKED_free(p); }
void free_native(OCSP_REQUEST* p) { OCSP_REQUEST_free(p); }
void free_native(OCSP_RESPONSE* p) { OCSP_RESPONSE_free(p); }
void free_native(OCSP_BASICRESP* p) { OCSP_BASICRESP_free(p); }
void free_native(OCSP_CERTID* p) { OCSP_CERTID_free(p); }
void free_native(struct stack_st_POLICYINFO* p) { CERTIFICATEPOLICIES_free(p); }
void free_native(POLICYINFO* p) { POLICYINFO_free(p); }
void free_native(ASN1_OBJECT* p) { ASN1_OBJECT_free(p); }
void free_native(EVP_CIPHER* p) { EVP_CIPHER_free(p); }
void free_native(EVP_CIPHER_CTX* p) { EVP_CIPHER_CTX_free(p); }
void free_native(EVP_MAC* p) { EVP_MAC_free(p); }
void free_native(EVP_MAC_CTX* p) { EVP_MAC_CTX_free(p); }
void free_native(EVP_KDF* p) { EVP_KDF_free(p); }
void free_native(EVP_KDF_CTX* p) { EVP_KDF_CTX_free(p); }

void OpensslFree::operator()(void* p) const noexcept { OPENSSL_free(p); }

Error openssl_error(std::string_view what, ErrorCode code) {
  std::string queue;
  const char* file = nullptr;
  int line = 0;
  const char* data = nullptr;
  int flags = 0;
  while (const unsigned long packed = ERR_get_error_all(&file, &line, nullptr, &data, &flags)) {
    std::array<char, 256> text{};
    ERR_error_string_n(packed, text.data(), text.size());
    if (!queue.empty()) {
      queue += "; ";
    }
    queue += text.data();
    if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
      queue += fmt::format(" ({})", data);
    }
  }
  if (queue.empty()) {
    queue = "no detail from OpenSSL";
  }
  return Error{code, fmt::format("{} failed: {}", what, queue), std::nullopt};
}

void clear_openssl_errors() { ERR_clear_error(); }

std::chrono::system_clock::time_point time_point_of(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return {};
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<UniquePtr<BIO>> memory_bio(ByteView bytes) {
  if (!std::in_range<int>(bytes.size())) {
    return fail(ErrorCode::kInvalidArgument, "input too large for OpenSSL");
  }
  UniquePtr<BIO> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) {
    return openssl_fail("creating a memory BIO");
  }
  return bio;
}

Result<UniquePtr<BIO>> new_memory_bio() {
  UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) {
    return openssl_fail("creating a memory BIO");
  }
  return bio;
}

Result<std::string> bio_contents(BIO* bio) {
  const std::size_t pending = BIO_ctrl_pending(bio);
  if (!std::in_range<int>(pending)) {
    return fail(ErrorCode::kCrypto, "memory BIO too large");
  }
  std::string out(pending, '\0');
  if (pending > 0 &&
      BIO_read(bio, out.data(), static_cast<int>(pending)) != static_cast<int>(pending)) {
    return openssl_fail("reading a memory BIO");
  }
  return out;
}

}  // namespace pactum::crypto

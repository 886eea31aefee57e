#pragma once

// The one boundary between Pactum and OpenSSL: ownership of OpenSSL objects (UniquePtr) and the
// conversion of OpenSSL failures into Error. Internal to pactum::crypto (and its tests).

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/ocsp.h>
#include <openssl/types.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::crypto {

// free_native releases one OpenSSL object; each overload calls the matching *_free function and
// accepts nullptr. UniquePtr uses them, so owning a new OpenSSL type means adding one overload.
void free_native(BIO* p);
void free_native(EVP_PKEY* p);
void free_native(EVP_PKEY_CTX* p);
void free_native(EVP_MD_CTX* p);
void free_native(X509* p);
void free_native(X509_EXTENSION* p);
void free_native(X509_NAME* p);
void free_native(X509_STORE* p);
void free_native(X509_STORE_CTX* p);
void free_native(X509_ATTRIBUTE* p);
void free_native(ASN1_INTEGER* p);  // also ASN1_OCTET_STRING and other ASN1_STRING types
void free_native(BIGNUM* p);
void free_native(CMS_ContentInfo* p);
void free_native(ESS_SIGNING_CERT_V2* p);
void free_native(struct stack_st_X509* p);  // STACK_OF(X509), freeing the certificates too
void free_native(X509_CRL* p);
void free_native(X509_REVOKED* p);
void free_native(OCSP_REQUEST* p);
void free_native(OCSP_RESPONSE* p);
void free_native(OCSP_BASICRESP* p);
void free_native(OCSP_CERTID* p);
void free_native(struct stack_st_POLICYINFO* p);  // CERTIFICATEPOLICIES, with its entries
void free_native(struct POLICYINFO_st* p);
void free_native(ASN1_OBJECT* p);
void free_native(ESS_SIGNING_CERT* p);
void free_native(struct stack_st_ASN1_OBJECT* p);  // EXTENDED_KEY_USAGE, with its entries
void free_native(struct TS_tst_info_st* p);  // TS_TST_INFO
void free_native(EVP_CIPHER* p);
void free_native(EVP_CIPHER_CTX* p);
void free_native(EVP_MAC* p);
void free_native(EVP_MAC_CTX* p);
void free_native(EVP_KDF* p);
void free_native(EVP_KDF_CTX* p);

// NativeDeleter is the deleter of UniquePtr: it dispatches to the free_native overload.
struct NativeDeleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    free_native(p);
  }
};

// UniquePtr owns one OpenSSL object and frees it with the matching OpenSSL function.
template <typename T>
using UniquePtr = std::unique_ptr<T, NativeDeleter>;

// OpensslFree releases memory that OpenSSL allocated with OPENSSL_malloc (strings, buffers).
struct OpensslFree {
  void operator()(void* p) const noexcept;
};

// openssl_error drains the calling thread's OpenSSL error queue and returns
// Error{code, "<what> failed: <queue text>"}; the queue is empty afterwards. When the queue is
// empty the text says so, so a failure is never reported without a message.
Error openssl_error(std::string_view what, ErrorCode code = ErrorCode::kCrypto);

// openssl_fail is openssl_error in the shape a Result-returning function can return.
inline std::unexpected<Error> openssl_fail(std::string_view what,
                                           ErrorCode code = ErrorCode::kCrypto) {
  return std::unexpected<Error>(openssl_error(what, code));
}

// clear_openssl_errors discards the error queue; for failures that are expected outcomes (a
// probe that may fail, the end of a PEM bundle) and must not leak into a later message.
void clear_openssl_errors();

// memory_bio returns a read-only BIO over bytes (which must outlive it); kInvalidArgument if the
// input is larger than OpenSSL can address, kCrypto if OpenSSL fails.
Result<UniquePtr<BIO>> memory_bio(ByteView bytes);

// new_memory_bio returns an empty writable memory BIO; kCrypto on failure.
Result<UniquePtr<BIO>> new_memory_bio();

// bio_contents returns everything that is still readable from a memory BIO; kCrypto on failure.
Result<std::string> bio_contents(BIO* bio);

// time_point_of converts an ASN1_TIME (UTCTime or GeneralizedTime) to a time point; the epoch
// when time is null or unreadable.
std::chrono::system_clock::time_point time_point_of(const ASN1_TIME* time);

// der_encode runs an OpenSSL i2d-style function twice (measure, then write) and returns the
// encoding; `encode` is called as encode(unsigned char**) and returns the length or <= 0 on
// failure, which becomes kCrypto "<what> failed: ...".
template <typename Encode>
Result<Bytes> der_encode(Encode&& encode, std::string_view what) {
  const int length = encode(nullptr);
  if (length <= 0) {
    return openssl_fail(what);
  }
  Bytes out(static_cast<std::size_t>(length));
  unsigned char* cursor = out.data();
  if (std::forward<Encode>(encode)(&cursor) != length) {
    return openssl_fail(what);
  }
  return out;
}

}  // namespace pactum::crypto

#include "pactum/pki/csr.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <utility>

#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/native_ptr.h"

namespace pactum::pki {

Result<Bytes> csr_public_key(ByteView csr) {
  if (csr.empty() || csr.size() > kMaxCsrBytes) {
    return fail(ErrorCode::kMalformed, "a certificate request is empty or too large");
  }
  OwnedBy<X509_REQ, X509_REQ_free> request;
  if (as_chars(csr).find("-----BEGIN") != std::string_view::npos) {
    auto bio = crypto::memory_bio(csr);
    if (!bio) {
      return std::unexpected(bio.error());
    }
    request.reset(PEM_read_bio_X509_REQ(bio->get(), nullptr, nullptr, nullptr));
  } else {
    const unsigned char* cursor = csr.data();
    request.reset(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(csr.size())));
    if (request && cursor != csr.data() + csr.size()) {
      return fail(ErrorCode::kMalformed, "trailing bytes after the certificate request",
                  static_cast<std::uint64_t>(cursor - csr.data()));
    }
  }
  if (!request) {
    return crypto::openssl_fail("parsing a certificate request (PKCS#10, PEM or DER)",
                                ErrorCode::kMalformed);
  }
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());  // owned by the request
  if (key == nullptr) {
    return crypto::openssl_fail("reading the key of a certificate request",
                                ErrorCode::kMalformed);
  }
  if (X509_REQ_verify(request.get(), key) != 1) {
    return crypto::openssl_fail("the certificate request's signature does not verify");
  }
  return crypto::der_encode([&](unsigned char** out) { return i2d_PUBKEY(key, out); },
                            "encoding the requested public key");
}

}  // namespace pactum::pki

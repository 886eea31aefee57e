#include "pactum/pki/ocsp_request.h"

#include <openssl/ocsp.h>

#include "pactum/crypto/openssl_error.h"

namespace pactum::pki {

Result<Bytes> make_ocsp_request(const crypto::Certificate& certificate,
                                const crypto::Certificate& issuer) {
  crypto::UniquePtr<OCSP_CERTID> id(
      OCSP_cert_to_id(EVP_sha1(), certificate.native(), issuer.native()));
  const crypto::UniquePtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  if (!id || !request || OCSP_request_add0_id(request.get(), id.get()) == nullptr) {
    return crypto::openssl_fail("building an OCSP request");
  }
  static_cast<void>(id.release());  // now owned by the request
  return crypto::der_encode(
      [&](unsigned char** out) { return i2d_OCSP_REQUEST(request.get(), out); },
      "encoding an OCSP request");
}

}  // namespace pactum::pki

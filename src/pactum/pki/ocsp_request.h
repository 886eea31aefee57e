#pragma once

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"

namespace pactum::pki {

// make_ocsp_request returns a DER OCSPRequest (RFC 6960) asking about certificate, issued by
// issuer: one CertID under SHA-1 (what every responder understands, and what RFC 5019 asks
// for), no nonce (a cached answer is as good for a DSS), unsigned. Fails with kCrypto if
// OpenSSL cannot build or encode it.
Result<Bytes> make_ocsp_request(const crypto::Certificate& certificate,
                                const crypto::Certificate& issuer);

}  // namespace pactum::pki

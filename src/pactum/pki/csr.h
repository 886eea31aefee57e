#pragma once

// Certificate signing requests (PKCS#10) as `pactum ca issue --csr` takes them.

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::pki {

// kMaxCsrBytes bounds the CSR read; a real one is under 2 KiB.
inline constexpr std::size_t kMaxCsrBytes = std::size_t{64} * 1024;

// csr_public_key reads one PKCS#10 request (PEM "CERTIFICATE REQUEST" or DER), checks its
// self-signature (proof that the requester holds the private key) and returns its DER
// SubjectPublicKeyInfo, the form IssueRequest takes. Only the key is used: the subject comes from
// the CA operator, never from the request. Fails with kMalformed if it does not parse, is larger
// than kMaxCsrBytes or has trailing bytes, kCrypto if the signature does not verify.
Result<Bytes> csr_public_key(ByteView csr);

}  // namespace pactum::pki

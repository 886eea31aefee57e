#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/pki/ca.h"

namespace pactum::pki {

// Crl is one signed certificate revocation list of the issuing CA or of the root.
struct Crl {
  Bytes der;
  std::uint64_t number = 0;
  std::chrono::system_clock::time_point this_update;
  std::chrono::system_clock::time_point next_update;

  // to_pem returns the CRL as one "X509 CRL" PEM block; kCrypto on failure.
  [[nodiscard]] Result<std::string> to_pem() const;
};

// generate_crl makes the issuing CA's next CRL (RFC 5280 section 5): version 2, issuer = the
// issuing CA, thisUpdate = this_update, nextUpdate = this_update + lifetime, the extensions
// authorityKeyIdentifier and cRLNumber (a fresh number from ca.reserve_crl_number(), so it
// rises with every call, across restarts), and one entry per revoked certificate with its
// serial, revocationDate and a reasonCode entry extension (left out for "unspecified", as
// RFC 5280 section 5.3.1 asks), signed by the issuing CA key. Expired revoked certificates stay
// listed. Fails with kInvalidArgument if lifetime is not positive, kIo if the number cannot be
// persisted, kCrypto if OpenSSL fails.
Result<Crl> generate_crl(CertificateAuthority& ca,
                         std::chrono::system_clock::time_point this_update,
                         std::chrono::seconds lifetime);

// generate_root_crl makes the root's next CRL, the revocation source named by the issuing CA
// certificate: the same shape as generate_crl's, issued and signed by the root, numbered by
// ca.reserve_root_crl_number(), listing revoked_cas (the CA keeps no record of revoked CA
// certificates: the platform never revokes its issuing CA, so callers pass none and the CRL
// proves the issuing CA is not revoked). Fails like generate_crl.
Result<Crl> generate_root_crl(CertificateAuthority& ca,
                              std::chrono::system_clock::time_point this_update,
                              std::chrono::seconds lifetime,
                              const std::vector<IssuedCertificate>& revoked_cas = {});

}  // namespace pactum::pki

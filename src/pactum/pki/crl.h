#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
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
// certificate: the same shape as generate_crl's, issued and signed by root_key (from
// ca.load_root_key), numbered by ca.reserve_root_crl_number(), listing revoked_cas (the CA keeps
// no record of revoked CA certificates: the platform never revokes its issuing CA, so callers
// pass none and the CRL proves the issuing CA is not revoked). Fails with kInvalidArgument if
// root_key is not the root's, otherwise like generate_crl.
Result<Crl> generate_root_crl(CertificateAuthority& ca, const crypto::PrivateKey& root_key,
                              std::chrono::system_clock::time_point this_update,
                              std::chrono::seconds lifetime,
                              const std::vector<IssuedCertificate>& revoked_cas = {});

// kRootCrlFile, in the CA directory, is the root's current CRL (DER). The root key stays off
// the serving path, so servers publish this file rather than sign root CRLs themselves.
inline constexpr std::string_view kRootCrlFile = "root.crl";

// issue_root_crl signs the root's next CRL (generate_root_crl) and atomically replaces
// kRootCrlFile with it. Fails like generate_root_crl, or kIo.
Result<Crl> issue_root_crl(CertificateAuthority& ca, const crypto::PrivateKey& root_key,
                           std::chrono::system_clock::time_point this_update,
                           std::chrono::seconds lifetime);

// read_root_crl returns the stored root CRL: kNotFound (naming the command that signs one) if
// there is none, kIo or kMalformed if the file cannot be read or parsed.
Result<Crl> read_root_crl(const CertificateAuthority& ca);

// decode_crl reads the number and the update times of a DER CRL (its signature is not checked:
// the validator does that); kMalformed if it is not a CRL with a CRL number and a nextUpdate.
Result<Crl> decode_crl(ByteView der);

}  // namespace pactum::pki

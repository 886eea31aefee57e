#pragma once

// Revocation data for PAdES B-LT straight from our own CA, in process (no network): what
// `pactum sign --ca-dir` and the signing service use.

#include <chrono>
#include <mutex>
#include <optional>

#include "pactum/crypto/revocation_source.h"
#include "pactum/pki/ca.h"
#include "pactum/pki/crl.h"
#include "pactum/pki/tsa.h"

namespace pactum::pki {

// CaRevocationSource is a crypto::RevocationSource answering for the certificates that ca's
// issuing CA signed: an OCSP response (respond_ocsp) for a certificate in the CA's index, and
// the CA's current CRL for one it signed without recording it (a TSA certificate made with
// issue_tsa_certificate, say); and for the issuing CA certificate itself, the root's CRL. The
// CRLs are made on first need and reused: every CRL takes a CRL number. The CA is used under a
// lock, so the source is safe to call from several threads, but nothing else may use the CA
// meanwhile.
class CaRevocationSource final : public crypto::RevocationSource {
 public:
  // CaRevocationSource keeps a reference to ca, which must outlive it; clock gives producedAt
  // and thisUpdate; validity is the OCSP nextUpdate and CRL lifetime.
  CaRevocationSource(CertificateAuthority& ca, Clock clock,
                     std::chrono::seconds validity = std::chrono::days(7))
      : ca_(ca), clock_(std::move(clock)), validity_(validity) {}

  // revocation_data answers for certificate when issuer is ca's issuing CA and signed it, and
  // for the issuing CA certificate under the root (the root's stored CRL, read_root_crl); fails
  // with kNotFound otherwise (the root itself, other CAs), and like respond_ocsp, generate_crl or
  // read_root_crl. revoked_at is set for a certificate the CA revoked.
  [[nodiscard]] Result<crypto::RevocationData> revocation_data(
      const crypto::Certificate& certificate, const crypto::Certificate& issuer) const override;

 private:
  CertificateAuthority& ca_;
  Clock clock_;
  std::chrono::seconds validity_;
  mutable std::mutex mutex_;
  mutable std::optional<Crl> crl_;
};

}  // namespace pactum::pki

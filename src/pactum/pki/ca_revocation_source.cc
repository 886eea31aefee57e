#include "pactum/pki/ca_revocation_source.h"

#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "pactum/pki/ocsp_request.h"
#include "pactum/pki/ocsp_responder.h"

namespace pactum::pki {

Result<crypto::RevocationData> CaRevocationSource::revocation_data(
    const crypto::Certificate& certificate, const crypto::Certificate& issuer) const {
  const std::lock_guard lock(mutex_);
  if (certificate.der() == ca_.issuing_certificate().der() &&
      issuer.der() == ca_.root_certificate().der()) {
    // The root key is offline: the root's CRL is the stored one, never signed here.
    auto crl = read_root_crl(ca_);
    if (!crl) {
      return std::unexpected(crl.error());
    }
    crypto::RevocationData data;
    data.crls.push_back(std::move(crl->der));
    return data;
  }
  if (issuer.der() != ca_.issuing_certificate().der() ||
      X509_check_issued(issuer.native(), certificate.native()) != X509_V_OK) {
    return fail(ErrorCode::kNotFound,
                fmt::format("the CA in {} did not issue the certificate of {}", ca_.directory(),
                            certificate.subject_common_name()));
  }
  crypto::RevocationData data;
  const IssuedCertificate* record = ca_.find(certificate.serial_hex());
  if (record != nullptr) {
    auto request = make_ocsp_request(certificate, issuer);
    if (!request) {
      return std::unexpected(request.error());
    }
    auto response = respond_ocsp(*request, ca_, clock_(), validity_);
    if (!response) {
      return std::unexpected(response.error());
    }
    data.ocsp_responses.push_back(std::move(*response));
    if (record->revocation) {
      data.revoked_at = record->revocation->revoked_at;
    }
    return data;
  }
  if (!crl_) {
    auto crl = generate_crl(ca_, clock_(), validity_);
    if (!crl) {
      return std::unexpected(crl.error());
    }
    crl_ = std::move(*crl);
  }
  data.crls.push_back(crl_->der);
  return data;
}

}  // namespace pactum::pki

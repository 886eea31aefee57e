// CRLs as revocation evidence (revocation_check.h).

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/revocation_check.h"

namespace pactum::crypto {
namespace {

std::string reason_of(X509_REVOKED* entry) {
  const UniquePtr<ASN1_INTEGER> code(static_cast<ASN1_ENUMERATED*>(
      X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
  clear_openssl_errors();
  if (!code) {
    return {};
  }
  return OCSP_crl_reason_str(ASN1_ENUMERATED_get(code.get()));
}

}  // namespace

Result<RevocationEvidence> check_crl(ByteView der, const Certificate& cert,
                                     const Certificate& issuer) {
  if (der.empty() || !std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, "a CRL is empty or too large");
  }
  const unsigned char* cursor = der.data();
  const UniquePtr<X509_CRL> crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
  if (!crl) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "not a DER CRL");
  }
  const X509_NAME* crl_issuer = X509_CRL_get_issuer(crl.get());
  if (X509_NAME_cmp(crl_issuer, X509_get_issuer_name(cert.native())) != 0 ||
      X509_NAME_cmp(crl_issuer, X509_get_subject_name(issuer.native())) != 0) {
    return fail(ErrorCode::kNotFound, "the CRL is another issuer's");
  }
  if (X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer.native())) != 1) {
    clear_openssl_errors();
    return fail(ErrorCode::kCrypto,
                fmt::format("the CRL's signature does not verify with the key of {}",
                            issuer.subject()));
  }
  RevocationEvidence out;
  out.source = RevocationEvidence::Source::kCrl;
  out.signer = issuer.subject();
  out.this_update = time_point_of(X509_CRL_get0_lastUpdate(crl.get()));
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get()); next != nullptr) {
    out.next_update = time_point_of(next);
    if (*out.next_update < out.this_update) {
      return fail(ErrorCode::kCrypto, "the CRL's nextUpdate precedes its thisUpdate");
    }
  }
  X509_REVOKED* entry = nullptr;
  const int listed = X509_CRL_get0_by_cert(crl.get(), &entry, cert.native());
  if (listed == 1 && entry != nullptr) {
    out.state = RevocationState::kRevoked;
    out.revocation_time = time_point_of(X509_REVOKED_get0_revocationDate(entry));
    out.reason = reason_of(entry);
  } else {
    out.state = RevocationState::kGood;
  }
  clear_openssl_errors();
  return out;
}

}  // namespace pactum::crypto

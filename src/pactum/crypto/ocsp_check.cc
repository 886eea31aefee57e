// OCSP responses as revocation evidence (revocation_check.h).

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/revocation_check.h"

namespace pactum::crypto {
namespace {

// find_single returns the SingleResponse about cert under the hash its CertID uses.
OCSP_SINGLERESP* find_single(OCSP_BASICRESP* basic, const Certificate& cert,
                             const Certificate& issuer) {
  for (int i = 0; i < OCSP_resp_count(basic); ++i) {
    OCSP_SINGLERESP* single = OCSP_resp_get0(basic, i);
    ASN1_OBJECT* hash = nullptr;
    ASN1_INTEGER* serial = nullptr;
    OCSP_id_get0_info(nullptr, &hash, nullptr, &serial,
                      const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));  // NOLINT
    const EVP_MD* md = hash == nullptr ? nullptr : EVP_get_digestbyobj(hash);
    if (md == nullptr || serial == nullptr ||
        ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(cert.native())) != 0) {
      continue;
    }
    const UniquePtr<OCSP_CERTID> wanted(OCSP_cert_to_id(md, cert.native(), issuer.native()));
    if (wanted && OCSP_id_cmp(wanted.get(), OCSP_SINGLERESP_get0_id(single)) == 0) {
      return single;
    }
  }
  clear_openssl_errors();
  return nullptr;
}

// check_responder accepts the issuer itself or a delegated responder it certified.
Status check_responder(X509* responder, const Certificate& issuer,
                       std::chrono::system_clock::time_point produced_at) {
  if (X509_cmp(responder, issuer.native()) == 0) {
    return {};
  }
  if (X509_check_issued(issuer.native(), responder) != X509_V_OK ||
      X509_verify(responder, X509_get0_pubkey(issuer.native())) != 1) {
    clear_openssl_errors();
    return fail(ErrorCode::kCrypto,
                "the OCSP response is signed by a responder that the certificate's issuer did "
                "not certify");
  }
  const std::uint32_t usage = X509_get_extended_key_usage(responder);
  if ((X509_get_extension_flags(responder) & EXFLAG_XKUSAGE) == 0U || (usage & XKU_OCSP_SIGN) == 0U) {
    clear_openssl_errors();
    return fail(ErrorCode::kCrypto,
                "the OCSP responder certificate lacks the id-kp-OCSPSigning extended key usage");
  }
  auto seconds = std::chrono::system_clock::to_time_t(produced_at);
  if (X509_cmp_time(X509_get0_notBefore(responder), &seconds) > 0 ||
      X509_cmp_time(X509_get0_notAfter(responder), &seconds) < 0) {
    clear_openssl_errors();
    return fail(ErrorCode::kCrypto,
                "the OCSP responder certificate was not valid when the response was produced");
  }
  return {};
}

}  // namespace

const char* revocation_state_name(RevocationState state) {
  switch (state) {
    case RevocationState::kGood:
      return "good";
    case RevocationState::kRevoked:
      return "revoked";
    case RevocationState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<RevocationEvidence> check_ocsp_response(ByteView der, const Certificate& cert,
                                               const Certificate& issuer,
                                               std::span<const Certificate> extra) {
  if (der.empty() || !std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, "an OCSP response is empty or too large");
  }
  const unsigned char* cursor = der.data();
  const UniquePtr<OCSP_RESPONSE> response(
      d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(der.size())));
  if (!response) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "not a DER OCSPResponse");
  }
  if (OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the OCSP response status is {}",
                            OCSP_response_status_str(OCSP_response_status(response.get()))));
  }
  const UniquePtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  if (!basic) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "the OCSP response is not a BasicOCSPResponse");
  }
  OCSP_SINGLERESP* single = find_single(basic.get(), cert, issuer);
  if (single == nullptr) {
    return fail(ErrorCode::kNotFound, "the OCSP response is about another certificate");
  }
  const UniquePtr<STACK_OF(X509)> certs(sk_X509_new_null());
  const UniquePtr<X509_STORE> store(X509_STORE_new());
  if (!certs || !store || X509_add_cert(certs.get(), issuer.native(), X509_ADD_FLAG_UP_REF) != 1) {
    return openssl_fail("collecting certificates for an OCSP response");
  }
  for (const Certificate& c : extra) {
    if (X509_add_cert(certs.get(), c.native(), X509_ADD_FLAG_UP_REF) != 1) {
      return openssl_fail("collecting certificates for an OCSP response");
    }
  }
  X509* responder = nullptr;
  if (OCSP_resp_get0_signer(basic.get(), &responder, certs.get()) != 1 || responder == nullptr) {
    clear_openssl_errors();
    return fail(ErrorCode::kCrypto, "the OCSP responder's certificate is not available");
  }
  const auto produced_at = time_point_of(OCSP_resp_get0_produced_at(basic.get()));
  if (auto st = check_responder(responder, issuer, produced_at); !st) {
    return std::unexpected(st.error());
  }
  // The chain is judged above; OpenSSL only checks the signature here.
  if (OCSP_basic_verify(basic.get(), certs.get(), store.get(), OCSP_NOVERIFY | OCSP_NOCHECKS) !=
      1) {
    return openssl_fail("verifying the OCSP response's signature");
  }
  int status = 0;
  int reason = -1;
  ASN1_GENERALIZEDTIME* revoked_at = nullptr;
  ASN1_GENERALIZEDTIME* this_update = nullptr;
  ASN1_GENERALIZEDTIME* next_update = nullptr;
  status = OCSP_single_get0_status(single, &reason, &revoked_at, &this_update, &next_update);
  RevocationEvidence out;
  out.source = RevocationEvidence::Source::kOcsp;
  out.this_update = time_point_of(this_update);
  if (next_update != nullptr) {
    out.next_update = time_point_of(next_update);
    if (*out.next_update < out.this_update) {
      return fail(ErrorCode::kCrypto, "the OCSP response's nextUpdate precedes its thisUpdate");
    }
  }
  if (auto shared = Certificate::share(responder)) {
    out.signer = shared->subject();
  }
  switch (status) {
    case V_OCSP_CERTSTATUS_GOOD:
      out.state = RevocationState::kGood;
      break;
    case V_OCSP_CERTSTATUS_REVOKED:
      out.state = RevocationState::kRevoked;
      out.revocation_time = time_point_of(revoked_at);
      if (reason >= 0) {
        out.reason = OCSP_crl_reason_str(reason);
      }
      break;
    default:
      out.state = RevocationState::kUnknown;
      break;
  }
  clear_openssl_errors();
  return out;
}

}  // namespace pactum::crypto

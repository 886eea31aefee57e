#include "pactum/pki/ocsp_responder.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;
using crypto::openssl_fail;
using crypto::UniquePtr;

constexpr std::size_t kMinNonceBytes = 1;  // RFC 8954 section 2.1
constexpr std::size_t kMaxNonceBytes = 32;

Result<Bytes> encode_response(OCSP_RESPONSE* response) {
  return crypto::der_encode([&](unsigned char** out) { return i2d_OCSP_RESPONSE(response, out); },
                            "encoding an OCSP response");
}

// parse_request returns the request, or nothing if der is not exactly one acceptable
// OCSPRequest; OpenSSL's complaints about bad input are expected and discarded.
std::optional<UniquePtr<OCSP_REQUEST>> parse_request(ByteView der) {
  if (der.empty() || der.size() > kMaxOcspRequestBytes) {
    return std::nullopt;
  }
  const unsigned char* cursor = der.data();
  UniquePtr<OCSP_REQUEST> request(
      d2i_OCSP_REQUEST(nullptr, &cursor, static_cast<long>(der.size())));
  crypto::clear_openssl_errors();
  if (!request || cursor != der.data() + der.size()) {
    return std::nullopt;
  }
  const int count = OCSP_request_onereq_count(request.get());
  if (count < 1 || count > kMaxOcspCertIds) {
    return std::nullopt;
  }
  return request;
}

// nonce_is_acceptable reports whether the request has no nonce, or one that is an OCTET STRING
// of 1 to 32 bytes as RFC 8954 requires.
bool nonce_is_acceptable(OCSP_REQUEST* request) {
  const int position = OCSP_REQUEST_get_ext_by_NID(request, NID_id_pkix_OCSP_Nonce, -1);
  if (position < 0) {
    return true;
  }
  if (OCSP_REQUEST_get_ext_by_NID(request, NID_id_pkix_OCSP_Nonce, position) >= 0) {
    return false;  // two nonces
  }
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(OCSP_REQUEST_get_ext(request, position));
  const unsigned char* cursor = ASN1_STRING_get0_data(value);
  const long length = ASN1_STRING_length(value);
  const UniquePtr<ASN1_OCTET_STRING> nonce(d2i_ASN1_OCTET_STRING(nullptr, &cursor, length));
  crypto::clear_openssl_errors();
  if (!nonce || cursor != ASN1_STRING_get0_data(value) + length) {
    return false;
  }
  const auto nonce_length = static_cast<std::size_t>(ASN1_STRING_length(nonce.get()));
  return nonce_length >= kMinNonceBytes && nonce_length <= kMaxNonceBytes;
}

// names_our_issuer reports whether id's issuer name and key hashes are those of issuer under
// the hash algorithm id itself uses.
bool names_our_issuer(OCSP_CERTID* id, X509* issuer) {
  ASN1_OBJECT* hash_algorithm = nullptr;
  if (OCSP_id_get0_info(nullptr, &hash_algorithm, nullptr, nullptr, id) != 1) {
    return false;
  }
  const EVP_MD* digest = EVP_get_digestbyobj(hash_algorithm);
  if (digest == nullptr) {
    return false;
  }
  const UniquePtr<OCSP_CERTID> ours(OCSP_cert_to_id(digest, nullptr, issuer));
  crypto::clear_openssl_errors();
  return ours && OCSP_id_issuer_cmp(ours.get(), id) == 0;
}

// serial_of returns id's serial number in the index's spelling, or nothing for a negative one.
std::optional<std::string> serial_of(OCSP_CERTID* id) {
  ASN1_INTEGER* serial = nullptr;
  if (OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, id) != 1 || serial == nullptr ||
      ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) {
    return std::nullopt;
  }
  const auto length = static_cast<std::size_t>(ASN1_STRING_length(serial));
  return to_hex(ByteView(ASN1_STRING_get0_data(serial), length));
}

// Answer is what one SingleResponse says.
struct Answer {
  int status = V_OCSP_CERTSTATUS_UNKNOWN;
  int reason = OCSP_REVOKED_STATUS_NOSTATUS;
  std::optional<TimePoint> revoked_at;
};

Answer answer_for(OCSP_CERTID* id, const CertificateAuthority& ca) {
  if (!names_our_issuer(id, ca.issuing_certificate().native())) {
    return {};
  }
  const auto serial = serial_of(id);
  const IssuedCertificate* record = serial ? ca.find(*serial) : nullptr;
  if (record == nullptr) {
    return {};
  }
  if (!record->revocation) {
    return {V_OCSP_CERTSTATUS_GOOD, OCSP_REVOKED_STATUS_NOSTATUS, std::nullopt};
  }
  const RevocationReason reason = record->revocation->reason;
  return {V_OCSP_CERTSTATUS_REVOKED,
          reason == RevocationReason::kUnspecified ? OCSP_REVOKED_STATUS_NOSTATUS
                                                   : static_cast<int>(reason),
          record->revocation->revoked_at};
}

Status add_answers(OCSP_BASICRESP* basic, OCSP_REQUEST* request, const CertificateAuthority& ca,
                   TimePoint now, std::chrono::seconds validity) {
  auto this_update = crypto::to_asn1_time(now);
  if (!this_update) {
    return std::unexpected(this_update.error());
  }
  auto next_update = crypto::to_asn1_time(now + validity);
  if (!next_update) {
    return std::unexpected(next_update.error());
  }
  const int count = OCSP_request_onereq_count(request);
  for (int i = 0; i < count; ++i) {
    OCSP_CERTID* id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(request, i));
    const Answer answer = answer_for(id, ca);
    UniquePtr<ASN1_TIME> revoked_at;
    if (answer.revoked_at) {
      auto time = crypto::to_asn1_time(*answer.revoked_at);
      if (!time) {
        return std::unexpected(time.error());
      }
      revoked_at = std::move(*time);
    }
    if (OCSP_basic_add1_status(basic, id, answer.status, answer.reason, revoked_at.get(),
                               this_update->get(), next_update->get()) == nullptr) {
      return openssl_fail("adding an OCSP single response");
    }
  }
  return {};
}

// sign_at signs basic with the issuing CA, responderID byKey, and producedAt = now.
// OCSP_basic_sign always stamps producedAt from the system clock, so the time is replaced
// afterwards and the (unchanged otherwise) ResponseData signed again.
Status sign_at(OCSP_BASICRESP* basic, const CertificateAuthority& ca, TimePoint now) {
  const crypto::PrivateKey& key = ca.issuing_key();
  const EVP_MD* digest = crypto::native_digest(key.default_digest());
  if (OCSP_basic_sign(basic, ca.issuing_certificate().native(), key.native(), digest, nullptr,
                      OCSP_RESPID_KEY) != 1) {
    return openssl_fail("signing the OCSP response");
  }
  auto* produced_at = const_cast<ASN1_GENERALIZEDTIME*>(OCSP_resp_get0_produced_at(basic));
  if (ASN1_GENERALIZEDTIME_set(produced_at, std::chrono::system_clock::to_time_t(now)) == nullptr ||
      ASN1_item_sign(ASN1_ITEM_rptr(OCSP_RESPDATA),
                     const_cast<X509_ALGOR*>(OCSP_resp_get0_tbs_sigalg(basic)), nullptr,
                     const_cast<ASN1_OCTET_STRING*>(OCSP_resp_get0_signature(basic)),
                     OCSP_resp_get0_respdata(basic), key.native(), digest) <= 0) {
    return openssl_fail("signing the OCSP response at the given time");
  }
  return {};
}

}  // namespace

Result<Bytes> ocsp_error_response(OcspResponseStatus status) {
  const UniquePtr<OCSP_RESPONSE> response(OCSP_response_create(static_cast<int>(status), nullptr));
  if (!response) {
    return openssl_fail("creating an OCSP error response");
  }
  return encode_response(response.get());
}

Result<Bytes> respond_ocsp(ByteView request_der, const CertificateAuthority& ca, TimePoint now,
                           std::chrono::seconds validity) {
  if (validity.count() <= 0) {
    return fail(ErrorCode::kInvalidArgument, "an OCSP response must be valid for a positive time");
  }
  auto request = parse_request(request_der);
  if (!request || !nonce_is_acceptable(request->get())) {
    return ocsp_error_response(OcspResponseStatus::kMalformedRequest);
  }
  bool any_ours = false;
  const int count = OCSP_request_onereq_count(request->get());
  for (int i = 0; i < count && !any_ours; ++i) {
    any_ours = names_our_issuer(OCSP_onereq_get0_id(OCSP_request_onereq_get0(request->get(), i)),
                                ca.issuing_certificate().native());
  }
  if (!any_ours) {
    return ocsp_error_response(OcspResponseStatus::kUnauthorized);
  }
  const UniquePtr<OCSP_BASICRESP> basic(OCSP_BASICRESP_new());
  if (!basic) {
    return openssl_fail("creating an OCSP response");
  }
  if (auto st = add_answers(basic.get(), request->get(), ca, now, validity); !st) {
    return std::unexpected(st.error());
  }
  if (OCSP_copy_nonce(basic.get(), request->get()) <= 0) {
    return openssl_fail("echoing the OCSP nonce");
  }
  if (auto st = sign_at(basic.get(), ca, now); !st) {
    return std::unexpected(st.error());
  }
  const UniquePtr<OCSP_RESPONSE> response(
      OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  if (!response) {
    return openssl_fail("creating an OCSP response");
  }
  return encode_response(response.get());
}

}  // namespace pactum::pki

#include "pactum/pki/issuer_fetch.h"

#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "pactum/crypto/certificate_urls.h"
#include "pactum/crypto/issuer_chain.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/native_ptr.h"

namespace pactum::pki {
namespace {

// certificates_of_pkcs7 returns the certificates of a DER SignedData, or nullopt when der is not
// one.
std::optional<std::vector<crypto::Certificate>> certificates_of_pkcs7(ByteView der) {
  const unsigned char* cursor = der.data();
  const OwnedBy<PKCS7, PKCS7_free> bundle(
      d2i_PKCS7(nullptr, &cursor, static_cast<long>(der.size())));
  if (!bundle || cursor != der.data() + der.size() ||
      OBJ_obj2nid(bundle->type) != NID_pkcs7_signed || bundle->d.sign == nullptr) {
    return std::nullopt;
  }
  std::vector<crypto::Certificate> out;
  const STACK_OF(X509)* certs = bundle->d.sign->cert;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    auto encoded =
        crypto::der_encode([&](unsigned char** p) { return i2d_X509(sk_X509_value(certs, i), p); },
                           "encoding a certificate");
    if (!encoded) {
      return std::nullopt;
    }
    auto cert = crypto::Certificate::from_der(*encoded);
    if (!cert) {
      return std::nullopt;
    }
    out.push_back(std::move(*cert));
  }
  return out;
}

}  // namespace

Result<std::vector<crypto::Certificate>> parse_ca_issuers_answer(ByteView der,
                                                                 std::size_t max_certificates) {
  if (der.empty() || !std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, "the CA issuers answer is empty or too large");
  }
  if (auto cert = crypto::Certificate::from_der(der)) {
    return std::vector<crypto::Certificate>{std::move(*cert)};
  }
  auto bundle = certificates_of_pkcs7(der);
  if (!bundle) {
    return fail(ErrorCode::kMalformed,
                "the CA issuers answer is neither a DER certificate nor a PKCS#7 certs-only "
                "bundle");
  }
  if (bundle->empty() || bundle->size() > max_certificates) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the CA issuers bundle holds {} certificates (1 to {} expected)",
                            bundle->size(), max_certificates));
  }
  return std::move(*bundle);
}

Result<std::vector<crypto::Certificate>> fetch_issuer_certificates(
    const crypto::Certificate& certificate, const IssuerFetchOptions& options) {
  std::vector<std::string> urls = crypto::ca_issuers_urls(certificate);
  if (urls.empty()) {
    return fail(ErrorCode::kNotFound, fmt::format("the certificate of {} names no CA issuers "
                                                  "address",
                                                  certificate.subject_common_name()));
  }
  urls.resize(std::min(urls.size(), options.max_urls));
  std::string failures;
  ErrorCode last = ErrorCode::kNotFound;
  for (const std::string& url : urls) {
    auto body = http_fetch({.url = url,
                            .post_body = std::nullopt,
                            .content_type = {},
                            .accept = {"application/pkix-cert", "application/pkcs7-mime",
                                       "application/x-x509-ca-cert", "application/octet-stream"}},
                           options.limits);
    auto certs = body ? parse_ca_issuers_answer(*body, options.max_certificates)
                      : Result<std::vector<crypto::Certificate>>(std::unexpected(body.error()));
    if (certs && std::any_of(certs->begin(), certs->end(), [&](const auto& candidate) {
          return crypto::issued_by(certificate, candidate);
        })) {
      return certs;
    }
    const Error error = certs ? Error{ErrorCode::kNotFound,
                                      "its answer holds no certificate "
                                      "that issued it",
                                      std::nullopt}
                              : certs.error();
    failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", url, error.message);
    last = error.code;
  }
  return fail(last, failures);
}

}  // namespace pactum::pki

#include "pactum/pki/tsa_certificate.h"

#include <array>
#include <string>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

constexpr std::array kTsaExtensions{
    ExtensionSpec{NID_basic_constraints, "critical,CA:FALSE"},
    ExtensionSpec{NID_key_usage, "critical,digitalSignature,nonRepudiation"},
    ExtensionSpec{NID_ext_key_usage, "critical,timeStamping"},
    ExtensionSpec{NID_subject_key_identifier, "hash"},
    ExtensionSpec{NID_authority_key_identifier, "keyid:always"},
};

}  // namespace

std::span<const ExtensionSpec> tsa_certificate_extensions() { return kTsaExtensions; }

Result<crypto::Certificate> issue_tsa_certificate(const crypto::PrivateKey& issuer_key,
                                                  const crypto::Certificate& issuer,
                                                  const crypto::PrivateKey& tsa_key,
                                                  const TsaCertificateSpec& spec) {
  auto serial = crypto::random_serial();
  if (!serial) {
    return std::unexpected(serial.error());
  }
  return make_tsa_certificate(issuer_key, issuer, tsa_key, spec, *serial, nullptr);
}

Result<crypto::Certificate> make_tsa_certificate(const crypto::PrivateKey& issuer_key,
                                                 const crypto::Certificate& issuer,
                                                 const crypto::PrivateKey& tsa_key,
                                                 const TsaCertificateSpec& spec, ByteView serial,
                                                 const PkiUrls* urls) {
  if (!issuer.matches(issuer_key)) {
    return fail(ErrorCode::kInvalidArgument,
                "the issuer key does not match the issuer certificate");
  }
  if (spec.common_name.empty()) {
    return fail(ErrorCode::kInvalidArgument, "a TSA certificate needs a common name");
  }
  const crypto::UniquePtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), tsa_key.native()) != 1) {
    return crypto::openssl_fail("creating a TSA certificate");
  }
  if (auto st = crypto::set_serial(cert.get(), serial); !st) {
    return std::unexpected(st.error());
  }
  if (auto st = crypto::set_validity(cert.get(), spec.not_before, spec.not_after); !st) {
    return std::unexpected(st.error());
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());  // owned by cert
  if (!spec.organization.empty()) {
    if (auto st = crypto::add_name_entry(subject, "O", spec.organization); !st) {
      return std::unexpected(st.error());
    }
  }
  if (auto st = crypto::add_name_entry(subject, "CN", spec.common_name); !st) {
    return std::unexpected(st.error());
  }
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.native())) != 1) {
    return crypto::openssl_fail("setting the issuer name");
  }
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer.native(), cert.get(), nullptr, nullptr, 0);
  for (const ExtensionSpec& extension : kTsaExtensions) {
    if (auto st = crypto::add_extension(cert.get(), &context, extension.nid, extension.value);
        !st) {
      return std::unexpected(st.error());
    }
  }
  if (urls != nullptr) {
    const std::string distribution_point = "URI:" + urls->crl_url;
    const std::string info_access =
        fmt::format("OCSP;URI:{},caIssuers;URI:{}", urls->ocsp_url, urls->ca_issuers_url);
    for (const ExtensionSpec& extension :
         {ExtensionSpec{NID_crl_distribution_points, distribution_point},
          ExtensionSpec{NID_info_access, info_access}}) {
      if (auto st = crypto::add_extension(cert.get(), &context, extension.nid, extension.value);
          !st) {
        return std::unexpected(st.error());
      }
    }
  }
  return crypto::sign_certificate(cert.get(), issuer_key);
}

}  // namespace pactum::pki

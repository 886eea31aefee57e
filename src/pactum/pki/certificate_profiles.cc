#include "pactum/pki/certificate_profiles.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::size_t kMaxNameCharacters = 64;  // X.520 upper bounds for CN, O, serialNumber
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 4096;
constexpr std::size_t kMaxPublicKeyBytes = 4096;

template <typename T>
std::unexpected<Error> pass(const Result<T>& result) {
  return std::unexpected(result.error());
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

Status check_name_part(std::string_view what, std::string_view value, bool required) {
  if ((required && value.empty()) || utf8_length(value) > kMaxNameCharacters) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} must have {} to {} characters", what,
                                                         required ? 1 : 0, kMaxNameCharacters));
  }
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20U || c == 0x7F; })) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} contains control characters", what));
  }
  return {};
}

Status check_country(std::string_view country) {
  if (country.size() != 2 ||
      !std::all_of(country.begin(), country.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return fail(ErrorCode::kInvalidArgument, "country must be two upper-case letters");
  }
  return {};
}

// is_printable_string reports whether text fits an ASN.1 PrintableString, which X.520 requires
// for serialNumber.
bool is_printable_string(std::string_view text) {
  constexpr std::string_view kPunctuation = " '()+,-./:=?";
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kPunctuation.find(c) != std::string_view::npos;
  });
}

}  // namespace

Status check_subject(const SubjectName& subject) {
  for (const auto& st : {check_name_part("common name", subject.common_name, true),
                         check_name_part("organization", subject.organization, false),
                         check_name_part("serial number attribute", subject.serial_number, true),
                         check_country(subject.country)}) {
    if (!st) {
      return st;
    }
  }
  if (!is_printable_string(subject.serial_number)) {
    return fail(ErrorCode::kInvalidArgument,
                "serial number attribute must be letters, digits and PrintableString punctuation");
  }
  return {};
}

namespace {

Status set_name(X509_NAME* name, const SubjectName& subject) {
  if (auto st = crypto::add_name_entry(name, "C", subject.country); !st) {
    return st;
  }
  if (!subject.organization.empty()) {
    if (auto st = crypto::add_name_entry(name, "O", subject.organization); !st) {
      return st;
    }
  }
  if (auto st = crypto::add_name_entry(name, "CN", subject.common_name); !st) {
    return st;
  }
  if (subject.serial_number.empty()) {
    return {};
  }
  return crypto::add_name_entry(name, "serialNumber", subject.serial_number);
}

}  // namespace

Result<crypto::UniquePtr<EVP_PKEY>> parse_subject_public_key(ByteView der) {
  if (der.empty() || der.size() > kMaxPublicKeyBytes) {
    return fail(ErrorCode::kMalformed, "public key is empty or too large");
  }
  const unsigned char* cursor = der.data();
  crypto::UniquePtr<EVP_PKEY> key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key) {
    return crypto::openssl_fail("parsing the public key", ErrorCode::kMalformed);
  }
  const auto consumed = static_cast<std::size_t>(cursor - der.data());
  if (consumed != der.size()) {
    return fail(ErrorCode::kMalformed, "trailing bytes after the public key", consumed);
  }
  const int bits = EVP_PKEY_get_bits(key.get());
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      if (bits >= kMinRsaBits && bits <= kMaxRsaBits) {
        return key;
      }
      break;
    case EVP_PKEY_EC:
      if (bits == 256 || bits == 384) {  // P-256 or P-384; d2i_PUBKEY checked the point
        return key;
      }
      break;
    default:
      break;
  }
  return fail(ErrorCode::kUnsupported,
              fmt::format("public key type {} of {} bits is not RSA 2048-4096 or EC P-256/P-384",
                          EVP_PKEY_get_base_id(key.get()), bits));
}

Result<crypto::Certificate> make_ca_certificate(const crypto::PrivateKey& subject_key,
                                                const crypto::PrivateKey& signing_key,
                                                const crypto::Certificate* issuer,
                                                const CaSettings& settings, CaRole role,
                                                TimePoint now, const PkiUrls* urls) {
  const bool is_root = role == CaRole::kRoot;
  if (is_root != (issuer == nullptr)) {
    return fail(ErrorCode::kInvalidArgument, "a root has no issuer and an issuing CA has one");
  }
  const std::chrono::days validity = is_root ? settings.root_validity : settings.issuing_validity;
  const crypto::UniquePtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key.native()) != 1) {
    return crypto::openssl_fail("creating a CA certificate");
  }
  auto serial = crypto::random_serial();
  if (!serial) {
    return pass(serial);
  }
  const SubjectName subject{is_root ? settings.root_common_name : settings.issuing_common_name,
                            settings.organization, "", settings.country};
  for (const auto& st : {crypto::set_serial(cert.get(), *serial),
                         crypto::set_validity(cert.get(), now, now + validity),
                         set_name(X509_get_subject_name(cert.get()), subject)}) {
    if (!st) {
      return std::unexpected(st.error());
    }
  }
  X509* issuer_cert = issuer != nullptr ? issuer->native() : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) != 1) {
    return crypto::openssl_fail("setting the issuer name");
  }
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer_cert, cert.get(), nullptr, nullptr, 0);
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, is_root ? "critical,CA:TRUE" : "critical,CA:TRUE,pathlen:0"},
      {NID_key_usage, "critical,keyCertSign,cRLSign"},
      {NID_subject_key_identifier, "hash"},
  };
  if (!is_root) {
    extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
    if (urls != nullptr) {
      extensions.emplace_back(NID_crl_distribution_points, "URI:" + urls->root_crl_url);
      extensions.emplace_back(NID_info_access, "caIssuers;URI:" + urls->root_ca_issuers_url);
    }
  }
  for (const auto& [nid, value] : extensions) {
    if (auto st = crypto::add_extension(cert.get(), &context, nid, value); !st) {
      return std::unexpected(st.error());
    }
  }
  return crypto::sign_certificate(cert.get(), signing_key);
}

Result<crypto::Certificate> make_end_entity_certificate(const IssueRequest& request,
                                                        EVP_PKEY* public_key, ByteView serial,
                                                        const crypto::Certificate& issuer,
                                                        const crypto::PrivateKey& issuer_key,
                                                        const PkiUrls& urls) {
  const crypto::UniquePtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), public_key) != 1) {
    return crypto::openssl_fail("creating a certificate");
  }
  for (const auto& st : {crypto::set_serial(cert.get(), serial),
                         crypto::set_validity(cert.get(), request.not_before, request.not_after),
                         set_name(X509_get_subject_name(cert.get()), request.subject)}) {
    if (!st) {
      return std::unexpected(st.error());
    }
  }
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.native())) != 1) {
    return crypto::openssl_fail("setting the issuer name");
  }
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer.native(), cert.get(), nullptr, nullptr, 0);
  const std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"},
      {NID_crl_distribution_points, "URI:" + urls.crl_url},
      {NID_info_access,
       fmt::format("OCSP;URI:{},caIssuers;URI:{}", urls.ocsp_url, urls.ca_issuers_url)},
  };
  for (const auto& [nid, value] : extensions) {
    if (auto st = crypto::add_extension(cert.get(), &context, nid, value); !st) {
      return std::unexpected(st.error());
    }
  }
  if (auto st = crypto::add_certificate_policy(cert.get(), kPactumTestCertificatePolicy); !st) {
    return std::unexpected(st.error());
  }
  return crypto::sign_certificate(cert.get(), issuer_key);
}

Status check_ca_settings(const CaSettings& settings) {
  if (settings.key_type != crypto::KeyType::kEcP256 &&
      settings.key_type != crypto::KeyType::kEcP384) {
    return fail(ErrorCode::kInvalidArgument, "CA keys are ECDSA P-256 or P-384");
  }
  if (settings.root_validity.count() <= 0 || settings.issuing_validity.count() <= 0 ||
      settings.root_crl_lifetime.count() <= 0 ||
      settings.issuing_validity > settings.root_validity) {
    return fail(ErrorCode::kInvalidArgument,
                "CA validity must be positive and the issuing CA's within the root's");
  }
  for (const auto& st : {check_name_part("CA organization", settings.organization, true),
                         check_name_part("root CA name", settings.root_common_name, true),
                         check_name_part("issuing CA name", settings.issuing_common_name, true),
                         check_country(settings.country)}) {
    if (!st) {
      return st;
    }
  }
  return {};
}

SubjectName person_subject(std::string name, std::string id_number, std::string country) {
  return SubjectName{std::move(name), "", std::move(id_number), std::move(country)};
}

SubjectName enterprise_subject(std::string name, std::string credit_code, std::string country) {
  std::string organization = name;
  return SubjectName{std::move(name), std::move(organization), std::move(credit_code),
                     std::move(country)};
}

Result<Bytes> subject_public_key_info(const crypto::PrivateKey& key) {
  return crypto::der_encode([&](unsigned char** out) { return i2d_PUBKEY(key.native(), out); },
                            "encoding a public key");
}

}  // namespace pactum::pki

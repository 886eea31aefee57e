#include "pactum/pki/ca.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <utility>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr int kMaxSerialAttempts = 8;           // a 126-bit collision never happens; bound anyway
constexpr std::size_t kMaxNameCharacters = 64;  // X.520 upper bounds for CN, O, serialNumber
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 4096;
constexpr std::size_t kMaxPublicKeyBytes = 4096;

constexpr const char* kRootKeyFile = "root.key.pem";
constexpr const char* kRootCertFile = "root.cert.pem";
constexpr const char* kIssuingKeyFile = "issuing.key.pem";
constexpr const char* kIssuingCertFile = "issuing.cert.pem";
constexpr const char* kIndexFile = "index.txt";
constexpr const char* kCrlNumberFile = "crl_number";
constexpr const char* kCertsDir = "certs";

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

// parse_public_key reads a DER SubjectPublicKeyInfo and accepts only the key types and sizes a
// signature certificate of ours may carry.
Result<crypto::UniquePtr<EVP_PKEY>> parse_public_key(ByteView der) {
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

// CaProfile distinguishes the root from the issuing CA certificate.
struct CaProfile {
  std::string common_name;
  std::chrono::days validity{};
  bool is_root = false;
};

Result<crypto::Certificate> make_ca_certificate(const crypto::PrivateKey& subject_key,
                                                const crypto::PrivateKey& signing_key,
                                                const crypto::Certificate* issuer,
                                                const CaSettings& settings,
                                                const CaProfile& profile, TimePoint now) {
  const crypto::UniquePtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key.native()) != 1) {
    return crypto::openssl_fail("creating a CA certificate");
  }
  auto serial = crypto::random_serial();
  if (!serial) {
    return pass(serial);
  }
  const SubjectName subject{profile.common_name, settings.organization, "", settings.country};
  for (const auto& st : {crypto::set_serial(cert.get(), *serial),
                         crypto::set_validity(cert.get(), now, now + profile.validity),
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
      {NID_basic_constraints, profile.is_root ? "critical,CA:TRUE" : "critical,CA:TRUE,pathlen:0"},
      {NID_key_usage, "critical,keyCertSign,cRLSign"},
      {NID_subject_key_identifier, "hash"},
  };
  if (!profile.is_root) {
    extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
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

std::string path_in(const std::string& dir, std::string_view name) {
  return (std::filesystem::path(dir) / name).string();
}

Status write_text(const std::string& path, std::string_view text, unsigned mode) {
  return write_file_atomically(path, as_bytes(text), mode);
}

Status write_key_and_certificate(const std::string& dir, const char* key_file,
                                 const char* cert_file, const crypto::PrivateKey& key,
                                 const crypto::Certificate& cert) {
  auto key_pem = key.to_pem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  auto cert_pem = cert.to_pem();
  if (!cert_pem) {
    return std::unexpected(cert_pem.error());
  }
  if (auto st = write_text(path_in(dir, key_file), *key_pem, 0600); !st) {
    return st;
  }
  return write_text(path_in(dir, cert_file), *cert_pem, 0644);
}

Result<crypto::Certificate> read_certificate(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return pass(bytes);
  }
  return crypto::Certificate::from_pem(*bytes);
}

Result<crypto::PrivateKey> read_key(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return pass(bytes);
  }
  return crypto::PrivateKey::from_pem(*bytes);
}

Result<std::uint64_t> read_crl_number(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return pass(bytes);
  }
  std::string_view text = as_chars(*bytes);
  if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  std::uint64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return fail(ErrorCode::kMalformed, fmt::format("{} does not hold a number", path));
  }
  return number;
}

Status check_settings(const CaSettings& settings) {
  if (settings.key_type != crypto::KeyType::kEcP256 &&
      settings.key_type != crypto::KeyType::kEcP384) {
    return fail(ErrorCode::kInvalidArgument, "CA keys are ECDSA P-256 or P-384");
  }
  if (settings.root_validity.count() <= 0 || settings.issuing_validity.count() <= 0 ||
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

}  // namespace

CertificateAuthority::CertificateAuthority(std::string dir, PkiUrls urls,
                                           crypto::Certificate root_certificate,
                                           crypto::Certificate issuing_certificate,
                                           crypto::PrivateKey issuing_key, CaIndex index,
                                           std::uint64_t last_crl_number)
    : dir_(std::move(dir)),
      urls_(std::move(urls)),
      root_certificate_(std::move(root_certificate)),
      issuing_certificate_(std::move(issuing_certificate)),
      issuing_key_(std::move(issuing_key)),
      index_(std::move(index)),
      last_crl_number_(last_crl_number) {}

Result<CertificateAuthority> CertificateAuthority::create(const std::string& dir,
                                                          const CaSettings& settings,
                                                          const PkiUrls& urls, TimePoint now) {
  if (auto st = check_settings(settings); !st) {
    return std::unexpected(st.error());
  }
  std::error_code error;
  std::filesystem::create_directories(path_in(dir, kCertsDir), error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, error.message()));
  }
  for (const char* name : {kIndexFile, kRootCertFile, kRootKeyFile}) {
    if (std::filesystem::exists(path_in(dir, name), error)) {
      return fail(ErrorCode::kInvalidArgument, fmt::format("{} already holds a CA", dir));
    }
  }
  auto root_key = crypto::PrivateKey::generate(settings.key_type);
  if (!root_key) {
    return pass(root_key);
  }
  auto root = make_ca_certificate(*root_key, *root_key, nullptr, settings,
                                  {settings.root_common_name, settings.root_validity, true}, now);
  if (!root) {
    return pass(root);
  }
  auto issuing_key = crypto::PrivateKey::generate(settings.key_type);
  if (!issuing_key) {
    return pass(issuing_key);
  }
  auto issuing =
      make_ca_certificate(*issuing_key, *root_key, &*root, settings,
                          {settings.issuing_common_name, settings.issuing_validity, false}, now);
  if (!issuing) {
    return pass(issuing);
  }
  // The index is written last: its presence marks a complete CA.
  for (const auto& st :
       {write_key_and_certificate(dir, kRootKeyFile, kRootCertFile, *root_key, *root),
        write_key_and_certificate(dir, kIssuingKeyFile, kIssuingCertFile, *issuing_key, *issuing),
        write_text(path_in(dir, kCrlNumberFile), "0\n", 0644)}) {
    if (!st) {
      return std::unexpected(st.error());
    }
  }
  auto index = CaIndex::create(path_in(dir, kIndexFile));
  if (!index) {
    return pass(index);
  }
  return CertificateAuthority(dir, urls, std::move(*root), std::move(*issuing),
                              std::move(*issuing_key), std::move(*index), 0);
}

Result<CertificateAuthority> CertificateAuthority::open(const std::string& dir,
                                                        const PkiUrls& urls) {
  auto root = read_certificate(path_in(dir, kRootCertFile));
  if (!root) {
    return pass(root);
  }
  auto issuing = read_certificate(path_in(dir, kIssuingCertFile));
  if (!issuing) {
    return pass(issuing);
  }
  auto issuing_key = read_key(path_in(dir, kIssuingKeyFile));
  if (!issuing_key) {
    return pass(issuing_key);
  }
  if (!issuing->matches(*issuing_key)) {
    return fail(ErrorCode::kCrypto, fmt::format("{}: the issuing key does not match its "
                                                "certificate",
                                                dir));
  }
  auto crl_number = read_crl_number(path_in(dir, kCrlNumberFile));
  if (!crl_number) {
    return pass(crl_number);
  }
  auto index = CaIndex::load(path_in(dir, kIndexFile));
  if (!index) {
    return pass(index);
  }
  return CertificateAuthority(dir, urls, std::move(*root), std::move(*issuing),
                              std::move(*issuing_key), std::move(*index), *crl_number);
}

Result<crypto::Certificate> CertificateAuthority::issue(const IssueRequest& request,
                                                        TimePoint now) {
  if (auto st = check_subject(request.subject); !st) {
    return std::unexpected(st.error());
  }
  if (request.not_after <= request.not_before) {
    return fail(ErrorCode::kInvalidArgument, "the validity period ends before it begins");
  }
  if (request.not_before < issuing_certificate_.not_before() ||
      request.not_after > issuing_certificate_.not_after()) {
    return fail(ErrorCode::kInvalidArgument,
                "the validity period lies outside the issuing CA certificate's");
  }
  auto public_key = parse_public_key(request.subject_public_key_info);
  if (!public_key) {
    return pass(public_key);
  }
  Bytes serial;
  for (int attempt = 0; attempt < kMaxSerialAttempts && serial.empty(); ++attempt) {
    auto candidate = crypto::random_serial();
    if (!candidate) {
      return pass(candidate);
    }
    if (index_.find(to_hex(*candidate)) == nullptr) {
      serial = std::move(*candidate);
    }
  }
  if (serial.empty()) {
    return fail(ErrorCode::kInternal, "no unused serial number after repeated tries");
  }
  auto cert = make_end_entity_certificate(request, public_key->get(), serial, issuing_certificate_,
                                          issuing_key_, urls_);
  if (!cert) {
    return cert;
  }
  auto pem = cert->to_pem();
  if (!pem) {
    return pass(pem);
  }
  const std::string serial_hex = to_hex(serial);
  // The certificate file first: an index record never points at a missing file.
  if (auto st = write_text(path_in(path_in(dir_, kCertsDir), serial_hex + ".pem"), *pem, 0644);
      !st) {
    return std::unexpected(st.error());
  }
  if (auto st = index_.record_issued(serial_hex, now, cert->not_after()); !st) {
    return std::unexpected(st.error());
  }
  return cert;
}

Status CertificateAuthority::revoke(std::string_view serial_hex, RevocationReason reason,
                                    TimePoint revoked_at) {
  return index_.record_revoked(serial_hex, Revocation{revoked_at, reason});
}

CertificateStatus CertificateAuthority::status_of(std::string_view serial_hex) const {
  const IssuedCertificate* record = index_.find(serial_hex);
  if (record == nullptr) {
    return CertificateStatus::kUnknown;
  }
  return record->revocation ? CertificateStatus::kRevoked : CertificateStatus::kGood;
}

Result<crypto::Certificate> CertificateAuthority::issued_certificate(
    std::string_view serial_hex) const {
  if (index_.find(serial_hex) == nullptr) {
    return fail(ErrorCode::kNotFound, fmt::format("no certificate with serial {} was issued here",
                                                  std::string(serial_hex)));
  }
  return read_certificate(path_in(path_in(dir_, kCertsDir), std::string(serial_hex) + ".pem"));
}

Result<std::uint64_t> CertificateAuthority::reserve_crl_number() {
  const std::uint64_t next = last_crl_number_ + 1;
  if (auto st = write_text(path_in(dir_, kCrlNumberFile), fmt::format("{}\n", next), 0644); !st) {
    return std::unexpected(st.error());
  }
  last_crl_number_ = next;
  return next;
}

Result<Bytes> subject_public_key_info(const crypto::PrivateKey& key) {
  return crypto::der_encode([&](unsigned char** out) { return i2d_PUBKEY(key.native(), out); },
                            "encoding a public key");
}

}  // namespace pactum::pki

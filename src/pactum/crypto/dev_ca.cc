#include "pactum/crypto/dev_ca.h"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

constexpr long kBackdateSeconds = 3600;  // tolerate clocks that run a little behind
constexpr int kRootDays = 3650;
constexpr int kSignerDays = 3 * 365;
constexpr std::size_t kSerialBytes = 16;
constexpr const char* kOrganization = "Pactum (development only, do not trust)";

// Profile is what distinguishes a root from a signer certificate.
struct Profile {
  std::string common_name;
  int validity_days = 0;
  bool is_ca = false;
};

Status set_random_serial(X509* cert) {
  std::array<unsigned char, kSerialBytes> serial{};
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) {
    return openssl_fail("generating a serial number");
  }
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7FU) | 0x40U);  // positive, 16 bytes
  const UniquePtr<BIGNUM> number(
      BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  const UniquePtr<ASN1_INTEGER> integer(number ? BN_to_ASN1_INTEGER(number.get(), nullptr)
                                               : nullptr);
  if (!integer || X509_set_serialNumber(cert, integer.get()) != 1) {
    return openssl_fail("setting the serial number");
  }
  return {};
}

Status set_validity(X509* cert, std::chrono::system_clock::time_point now, int days) {
  std::time_t start = std::chrono::system_clock::to_time_t(now);
  if (X509_time_adj_ex(X509_getm_notBefore(cert), 0, -kBackdateSeconds, &start) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, &start) == nullptr) {
    return openssl_fail("setting the validity period");
  }
  return {};
}

Status set_subject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);  // owned by cert
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, as_bytes(kOrganization).data(), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, as_bytes(common_name).data(), -1, -1,
                                 0) != 1) {
    return openssl_fail("setting the subject name");
  }
  return {};
}

Status add_extension(X509* cert, X509V3_CTX* context, int nid, const char* value) {
  const UniquePtr<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return openssl_fail(fmt::format("adding the {} extension", OBJ_nid2sn(nid)));
  }
  return {};
}

Status add_extensions(X509* cert, X509* issuer_cert, const Profile& profile) {
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer_cert, cert, nullptr, nullptr, 0);
  if (profile.is_ca) {
    if (auto st = add_extension(cert, &context, NID_basic_constraints, "critical,CA:TRUE"); !st) {
      return st;
    }
    if (auto st = add_extension(cert, &context, NID_key_usage, "critical,keyCertSign,cRLSign");
        !st) {
      return st;
    }
    return add_extension(cert, &context, NID_subject_key_identifier, "hash");
  }
  if (auto st = add_extension(cert, &context, NID_basic_constraints, "critical,CA:FALSE"); !st) {
    return st;
  }
  if (auto st =
          add_extension(cert, &context, NID_key_usage, "critical,digitalSignature,nonRepudiation");
      !st) {
    return st;
  }
  if (auto st = add_extension(cert, &context, NID_subject_key_identifier, "hash"); !st) {
    return st;
  }
  return add_extension(cert, &context, NID_authority_key_identifier, "keyid:always");
}

// issue builds and signs one certificate; issuer_cert is null for a self-signed root.
Result<Certificate> issue(const PrivateKey& subject_key, const PrivateKey& signing_key,
                          X509* issuer_cert, const Profile& profile,
                          std::chrono::system_clock::time_point now) {
  const UniquePtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key.native()) != 1) {
    return openssl_fail("creating a certificate");
  }
  X509* issuer = issuer_cert != nullptr ? issuer_cert : cert.get();
  for (const auto& step :
       {set_random_serial(cert.get()), set_validity(cert.get(), now, profile.validity_days),
        set_subject(cert.get(), profile.common_name)}) {
    if (!step) {
      return std::unexpected(step.error());
    }
  }
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1) {
    return openssl_fail("setting the issuer name");
  }
  if (auto st = add_extensions(cert.get(), issuer, profile); !st) {
    return std::unexpected(st.error());
  }
  if (X509_sign(cert.get(), signing_key.native(), EVP_sha256()) <= 0) {
    return openssl_fail("signing a certificate");
  }
  auto der = der_encode([&](unsigned char** out) { return i2d_X509(cert.get(), out); },
                        "encoding a certificate");
  if (!der) {
    return std::unexpected(der.error());
  }
  return Certificate::from_der(*der);
}

Status write_file(const std::string& path, std::string_view text, mode_t mode) {
  if (auto st = write_file_atomically(path, as_bytes(text), mode); !st) {
    return st;
  }
  // Exactly mode, whatever the umask: certificates are public, keys stay private.
  if (::chmod(path.c_str(), mode) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot set the mode of {}: {}", path, std::strerror(errno)));
  }
  return {};
}

Status write_pair(const std::string& dir, const std::string& stem, const PrivateKey& key,
                  const Certificate& cert, const std::string& cert_name) {
  auto key_pem = key.to_pem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  auto cert_pem = cert.to_pem();
  if (!cert_pem) {
    return std::unexpected(cert_pem.error());
  }
  if (auto st = write_file(dir + "/" + stem + ".key.pem", *key_pem, 0600); !st) {
    return st;
  }
  return write_file(dir + "/" + cert_name, *cert_pem, 0644);
}

}  // namespace

Result<DevAuthority> make_dev_root(std::chrono::system_clock::time_point now) {
  auto key = PrivateKey::generate(KeyType::kEcP256);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto cert = issue(*key, *key, nullptr, Profile{"Pactum Dev Root CA", kRootDays, true}, now);
  if (!cert) {
    return std::unexpected(cert.error());
  }
  return DevAuthority{std::move(*key), std::move(*cert)};
}

Result<Certificate> issue_dev_signer(const DevAuthority& issuer, const PrivateKey& key,
                                     const std::string& common_name,
                                     std::chrono::system_clock::time_point now) {
  return issue(key, issuer.key, issuer.certificate.native(),
               Profile{common_name, kSignerDays, false}, now);
}

Status write_dev_ca(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, error.message()));
  }
  const auto now = std::chrono::system_clock::now();
  auto root = make_dev_root(now);
  if (!root) {
    return std::unexpected(root.error());
  }
  struct SignerSpec {
    const char* stem;
    KeyType type;
    const char* common_name;
  };
  for (const SignerSpec& spec : {SignerSpec{"rsa", KeyType::kRsa, "Pactum Dev Signer (RSA)"},
                                 SignerSpec{"ec", KeyType::kEcP256, "Pactum Dev Signer (ECDSA)"}}) {
    auto key = PrivateKey::generate(spec.type);
    if (!key) {
      return std::unexpected(key.error());
    }
    auto cert = issue_dev_signer(*root, *key, spec.common_name, now);
    if (!cert) {
      return std::unexpected(cert.error());
    }
    if (auto st = write_pair(dir, spec.stem, *key, *cert, std::string(spec.stem) + ".cert.pem");
        !st) {
      return st;
    }
  }
  return write_pair(dir, "root", root->key, root->certificate, "root.pem");
}

}  // namespace pactum::crypto

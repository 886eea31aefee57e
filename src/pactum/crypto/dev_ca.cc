#include "pactum/crypto/dev_ca.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <system_error>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/pem_files.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::crypto {
namespace {

constexpr long kBackdateSeconds = 3600;  // tolerate clocks that run a little behind
constexpr int kRootDays = 3650;
constexpr int kSignerDays = 3 * 365;
constexpr const char* kOrganization = "Pactum (development only, do not trust)";

// Profile is what distinguishes a root from a signer certificate.
struct Profile {
  std::string common_name;
  int validity_days = 0;
  bool is_ca = false;
};

Status set_subject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);  // owned by cert
  if (auto st = add_name_entry(name, "O", kOrganization); !st) {
    return st;
  }
  return add_name_entry(name, "CN", common_name);
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
  auto serial = random_serial();
  if (!serial) {
    return std::unexpected(serial.error());
  }
  const auto not_before = now - std::chrono::seconds(kBackdateSeconds);
  const auto not_after = now + std::chrono::days(profile.validity_days);
  for (const auto& step :
       {set_serial(cert.get(), *serial), set_validity(cert.get(), not_before, not_after),
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
  return sign_certificate(cert.get(), signing_key);
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
    if (auto st = write_key_and_certificate(dir + "/" + spec.stem + ".key.pem",
                                            dir + "/" + spec.stem + ".cert.pem", *key, *cert);
        !st) {
      return st;
    }
  }
  return write_key_and_certificate(dir + "/root.key.pem", dir + "/root.pem", root->key,
                                   root->certificate);
}

}  // namespace pactum::crypto

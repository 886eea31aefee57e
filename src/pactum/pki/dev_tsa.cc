#include "pactum/pki/dev_tsa.h"

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/pem_files.h"
#include "pactum/pki/tsa_certificate.h"

namespace pactum::pki {
namespace {

constexpr auto kBackdate = std::chrono::hours(1);  // tolerate clocks that run a little behind
constexpr auto kValidity = std::chrono::days(3 * 365);

}  // namespace

Status write_dev_tsa(const std::string& dir, std::chrono::system_clock::time_point now) {
  auto root_key = crypto::read_pem_file<crypto::PrivateKey>(dir + "/root.key.pem", "root key",
                                                            &crypto::PrivateKey::from_pem);
  if (!root_key) {
    return std::unexpected(root_key.error());
  }
  auto root = crypto::read_pem_file<crypto::Certificate>(dir + "/root.pem", "root certificate",
                                                         &crypto::Certificate::from_pem);
  if (!root) {
    return std::unexpected(root.error());
  }
  auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto cert = issue_tsa_certificate(*root_key, *root, *key,
                                    {.common_name = "Pactum Dev Time-Stamping Authority",
                                     .organization = "Pactum (development only, do not trust)",
                                     .not_before = now - kBackdate,
                                     .not_after = now + kValidity});
  if (!cert) {
    return std::unexpected(cert.error());
  }
  return crypto::write_key_and_certificate(dir + "/tsa.key.pem", dir + "/tsa.cert.pem", *key,
                                           *cert);
}

}  // namespace pactum::pki

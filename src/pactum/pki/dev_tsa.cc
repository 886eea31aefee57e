#include "pactum/pki/dev_tsa.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/pki/tsa_certificate.h"

namespace pactum::pki {
namespace {

constexpr auto kBackdate = std::chrono::hours(1);  // tolerate clocks that run a little behind
constexpr auto kValidity = std::chrono::days(3 * 365);

// write_with_mode writes text to path atomically with exactly mode, whatever the umask.
Status write_with_mode(const std::string& path, std::string_view text, mode_t mode) {
  if (auto st = write_file_atomically(path, as_bytes(text), mode); !st) {
    return st;
  }
  if (::chmod(path.c_str(), mode) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot set the mode of {}: {}", path, std::strerror(errno)));
  }
  return {};
}

template <typename T>
Result<T> read_pem(const std::string& path, Result<T> (*parse)(ByteView)) {
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  auto parsed = parse(*bytes);
  if (!parsed) {
    return fail(ErrorCode::kMalformed, fmt::format("{}: {}", path, parsed.error().message));
  }
  return parsed;
}

}  // namespace

Status write_dev_tsa(const std::string& dir, std::chrono::system_clock::time_point now) {
  auto root_key =
      read_pem<crypto::PrivateKey>(dir + "/root.key.pem", &crypto::PrivateKey::from_pem);
  if (!root_key) {
    return std::unexpected(root_key.error());
  }
  auto root = read_pem<crypto::Certificate>(dir + "/root.pem", &crypto::Certificate::from_pem);
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
  auto key_pem = key->to_pem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  auto cert_pem = cert->to_pem();
  if (!cert_pem) {
    return std::unexpected(cert_pem.error());
  }
  if (auto st = write_with_mode(dir + "/tsa.key.pem", *key_pem, 0600); !st) {
    return st;
  }
  return write_with_mode(dir + "/tsa.cert.pem", *cert_pem, 0644);
}

}  // namespace pactum::pki

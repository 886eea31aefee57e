#include "pactum/crypto/pem_files.h"

namespace pactum::crypto {

Status write_key_and_certificate(const std::string& key_path, const std::string& certificate_path,
                                 const PrivateKey& key, const Certificate& certificate) {
  auto key_pem = key.to_pem();
  if (!key_pem) {
    return std::unexpected(key_pem.error());
  }
  auto certificate_pem = certificate.to_pem();
  if (!certificate_pem) {
    return std::unexpected(certificate_pem.error());
  }
  if (auto st = write_file_atomically(key_path, as_bytes(*key_pem), 0600); !st) {
    return st;
  }
  return write_file_atomically(certificate_path, as_bytes(*certificate_pem), 0644);
}

}  // namespace pactum::crypto

#pragma once

#include <string>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"

namespace pactum::crypto {

// read_pem_file reads path and parses it with parse (PrivateKey::from_pem,
// Certificate::from_pem, Certificate::all_from_pem, ...). Fails with the read error, or with the
// parse error's code and a message naming what (e.g. "certificate") and the path.
template <typename T>
Result<T> read_pem_file(const std::string& path, const char* what, Result<T> (*parse)(ByteView)) {
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  auto parsed = parse(*bytes);
  if (!parsed) {
    return fail(parsed.error().code, fmt::format("{} {}: {}", what, path, parsed.error().message));
  }
  return parsed;
}

// write_key_and_certificate writes key as PKCS#8 PEM to key_path (mode 0600) and certificate as
// PEM to certificate_path (mode 0644), each atomically. Fails with kIo or kCrypto.
Status write_key_and_certificate(const std::string& key_path, const std::string& certificate_path,
                                 const PrivateKey& key, const Certificate& certificate);

}  // namespace pactum::crypto

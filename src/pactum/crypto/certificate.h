#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/key.h"

using X509 = struct x509_st;

namespace pactum::crypto {

// Certificate owns a parsed X.509 certificate. Copying shares it (reference counted).
class Certificate {
 public:
  // from_pem parses exactly one PEM certificate (the first if there are several); kMalformed.
  static Result<Certificate> from_pem(ByteView pem);
  // from_der parses one DER certificate and rejects trailing bytes; kMalformed.
  static Result<Certificate> from_der(ByteView der);
  // all_from_pem parses every certificate in a PEM bundle; kMalformed if none parses.
  static Result<std::vector<Certificate>> all_from_pem(ByteView pem);

  [[nodiscard]] Bytes der() const;
  [[nodiscard]] Result<std::string> to_pem() const;
  // subject_common_name returns the CN, or the whole one-line subject if there is no CN.
  [[nodiscard]] std::string subject_common_name() const;
  [[nodiscard]] std::string subject() const;
  [[nodiscard]] std::string issuer() const;
  [[nodiscard]] std::string serial_hex() const;
  // matches reports whether key is the private half of this certificate's public key.
  [[nodiscard]] bool matches(const PrivateKey& key) const;

  [[nodiscard]] X509* native() const { return cert_.get(); }

 private:
  explicit Certificate(std::shared_ptr<X509> cert) : cert_(std::move(cert)) {}
  std::shared_ptr<X509> cert_;
};

}  // namespace pactum::crypto

#pragma once

#include <chrono>
#include <memory>
#include <optional>
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
  // share returns a Certificate holding another reference to an OpenSSL certificate (no copy,
  // no re-parsing); nullopt if cert is null or cannot be referenced.
  static std::optional<Certificate> share(X509* cert);
  // all_from_pem parses every certificate in a PEM bundle, in order, skipping other PEM blocks
  // (keys); kMalformed if none parses or a CERTIFICATE block is damaged.
  static Result<std::vector<Certificate>> all_from_pem(ByteView pem);

  // der returns the DER encoding (empty only if OpenSSL cannot encode, which a parsed
  // certificate never triggers).
  [[nodiscard]] Bytes der() const;
  // to_pem returns the certificate as one PEM block; kCrypto on failure.
  [[nodiscard]] Result<std::string> to_pem() const;
  // subject_common_name returns the CN, or the whole one-line subject if there is no CN.
  [[nodiscard]] std::string subject_common_name() const;
  // subject and issuer return the distinguished names in RFC 2253 form ("CN=...,O=...").
  [[nodiscard]] std::string subject() const;
  [[nodiscard]] std::string issuer() const;
  // serial_hex returns the serial number as lower-case hex ("-" prefixed if negative).
  [[nodiscard]] std::string serial_hex() const;
  // not_before and not_after return the validity period (second precision).
  [[nodiscard]] std::chrono::system_clock::time_point not_before() const;
  [[nodiscard]] std::chrono::system_clock::time_point not_after() const;
  // valid_at reports whether time lies inside the validity period.
  [[nodiscard]] bool valid_at(std::chrono::system_clock::time_point time) const;
  // matches reports whether key is the private half of this certificate's public key.
  [[nodiscard]] bool matches(const PrivateKey& key) const;

  // native returns the OpenSSL certificate; ownership stays with this object.
  [[nodiscard]] X509* native() const { return cert_.get(); }

 private:
  explicit Certificate(std::shared_ptr<X509> cert) : cert_(std::move(cert)) {}
  std::shared_ptr<X509> cert_;
};

}  // namespace pactum::crypto

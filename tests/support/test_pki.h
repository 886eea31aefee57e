#pragma once

// A platform CA with one signer and one TSA under its issuing CA, for the PAdES B-LT/B-LTA tests
// (unit tests and the interop suite's make_test_pki tool). Unlike `pactum dev-ca`, its
// end-entity certificates name OCSP and CRL addresses, so revocation data exists for them.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/pki/ca.h"
#include "pactum/pki/tsa.h"
#include "pactum/pki/tsa_certificate.h"
#include "pactum/pki/tsa_files.h"
#include "pactum/pki/tsa_serial.h"

namespace pactum::testing {

// TestPki is the CA, a signer's key and certificate, and a TSA with its key and certificate.
struct TestPki {
  pki::CertificateAuthority ca;
  crypto::PrivateKey signer_key;
  crypto::Certificate signer;
  crypto::PrivateKey tsa_key;
  crypto::Certificate tsa_certificate;
  std::shared_ptr<const pki::TimeStampAuthority> tsa;
};

// value_or_throw unwraps a Result in test set-up, where failing loudly is the point.
template <typename T>
T value_or_throw(Result<T> result, const char* what) {
  if (!result) {
    throw std::runtime_error(std::string(what) + ": " + result.error().describe());
  }
  return std::move(*result);
}

// make_test_pki creates the CA in dir (certificates valid from a day before now), issues an
// ECDSA P-256 person certificate valid from an hour before now, and a TSA certificate (in the
// CA's index, with CRL and OCSP addresses) for a TSA whose clock is `clock`. Throws
// std::runtime_error when anything fails.
inline TestPki make_test_pki(const std::string& dir, std::chrono::system_clock::time_point now,
                             Clock clock, const std::string& base_url) {
  auto urls = value_or_throw(pki::PkiUrls::from_base_url(base_url), "urls");
  auto ca = value_or_throw(
      pki::CertificateAuthority::create(dir, pki::CaSettings{}, urls, now - std::chrono::days(1)),
      "create CA");
  auto signer_key =
      value_or_throw(crypto::PrivateKey::generate(crypto::KeyType::kEcP256), "signer key");
  auto signer =
      value_or_throw(ca.issue({value_or_throw(pki::subject_public_key_info(signer_key), "spki"),
                               pki::SubjectName{"Test Signer", "", "110101199003071234", "CN"},
                               now - std::chrono::hours(1), now + std::chrono::days(365)},
                              now),
                     "issue signer");
  auto tsa_key = value_or_throw(crypto::PrivateKey::generate(crypto::KeyType::kEcP256), "tsa key");
  auto tsa_certificate = value_or_throw(
      ca.issue_tsa_certificate(
          tsa_key,
          {"Test TSA", "Pactum", now - std::chrono::hours(1), now + std::chrono::days(365)}, now),
      "issue TSA certificate");
  auto tsa =
      value_or_throw(pki::TimeStampAuthority::create({tsa_key,
                                                      tsa_certificate,
                                                      {ca.issuing_certificate()},
                                                      std::string(pki::kPactumTestTsaPolicy),
                                                      {},
                                                      std::move(clock),
                                                      std::make_shared<pki::RandomSerialSource>()}),
                     "create TSA");
  return TestPki{std::move(ca),
                 std::move(signer_key),
                 std::move(signer),
                 std::move(tsa_key),
                 std::move(tsa_certificate),
                 std::make_shared<const pki::TimeStampAuthority>(std::move(tsa))};
}

}  // namespace pactum::testing

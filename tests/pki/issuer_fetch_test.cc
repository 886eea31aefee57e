// Fetching a missing issuer from the CA issuers address a certificate names (pki/issuer_fetch.h):
// the answers RFC 5280 allows (one DER certificate, a PKCS#7 certs-only bundle), the ones it does
// not, and the bounds, against a loopback HTTP server playing the address.

#include <gtest/gtest.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loopback_http_server.h"
#include "pactum/crypto/certificate_urls.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/issuer_fetch.h"
#include "pactum/pki/native_ptr.h"
#include "pki_test_support.h"
#include "test_pki.h"

namespace pactum::pki {
namespace {

using Server = pactum::testing::LoopbackHttpServer;

// certs_only returns a DER PKCS#7 SignedData holding only certs (what `openssl crl2pkcs7
// -nocrl` writes).
Bytes certs_only(const std::vector<crypto::Certificate>& certs) {
  const OwnedBy<PKCS7, PKCS7_free> bundle(PKCS7_new());
  EXPECT_EQ(PKCS7_set_type(bundle.get(), NID_pkcs7_signed), 1);
  EXPECT_EQ(PKCS7_content_new(bundle.get(), NID_pkcs7_data), 1);
  for (const auto& cert : certs) {
    EXPECT_EQ(PKCS7_add_certificate(bundle.get(), cert.native()), 1);
  }
  return crypto::der_encode([&](unsigned char** p) { return i2d_PKCS7(bundle.get(), p); },
                            "a PKCS#7 bundle")
      .value();
}

std::string body_of(const Bytes& der) { return std::string(as_chars(der)); }

class IssuerFetchTest : public ::testing::Test {
 protected:
  // serve starts a server for `connections` GETs, answered with what answer() returns then, and
  // a CA whose certificates name it as their CA issuers address.
  void serve(int connections) {
    server_ = std::make_unique<Server>(
        [answer = answer_](const std::string&) {
          const std::lock_guard lock(answer->mutex);
          return answer->text;
        },
        connections);
    const auto now = testing::judge_now();
    pki_.emplace(pactum::testing::make_test_pki(
        testing::fresh_temp_dir() + "/ca", now, [now] { return now; }, server_->url("")));
  }

  void answer(std::string text) {
    const std::lock_guard lock(answer_->mutex);
    answer_->text = std::move(text);
  }

  struct Answer {
    std::mutex mutex;
    std::string text;
  };
  std::shared_ptr<Answer> answer_ = std::make_shared<Answer>();
  std::unique_ptr<Server> server_;
  std::optional<pactum::testing::TestPki> pki_;
};

TEST_F(IssuerFetchTest, OurCertificatesNameWhereTheirIssuerIsServed) {
  serve(0);
  EXPECT_EQ(crypto::ca_issuers_urls(pki_->signer),
            std::vector<std::string>{server_->url("/pki/issuing-ca.cer")});
  EXPECT_EQ(crypto::ca_issuers_urls(pki_->ca.issuing_certificate()),
            std::vector<std::string>{server_->url("/pki/root-ca.cer")});
  EXPECT_TRUE(crypto::ca_issuers_urls(pki_->ca.root_certificate()).empty());
}

TEST_F(IssuerFetchTest, FetchesADerCertificate) {
  serve(1);
  answer(Server::http_response(200, "application/pkix-cert",
                               body_of(pki_->ca.issuing_certificate().der())));
  auto found = fetch_issuer_certificates(pki_->signer);
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_EQ(found->size(), 1U);
  EXPECT_EQ(found->front().der(), pki_->ca.issuing_certificate().der());
  const std::string head = server_->last_request_head();
  EXPECT_NE(head.find("GET /pki/issuing-ca.cer HTTP/1.1"), std::string::npos) << head;
}

TEST_F(IssuerFetchTest, FetchesACertsOnlyBundle) {
  serve(1);
  answer(Server::http_response(
      200, "application/pkcs7-mime",
      body_of(certs_only({pki_->ca.root_certificate(), pki_->ca.issuing_certificate()}))));
  auto found = fetch_issuer_certificates(pki_->signer);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->size(), 2U);
}

TEST_F(IssuerFetchTest, AnAnswerWithoutTheIssuerIsNotFound) {
  serve(1);
  answer(Server::http_response(200, "application/pkix-cert",
                               body_of(pki_->ca.root_certificate().der())));
  auto found = fetch_issuer_certificates(pki_->signer);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound) << found.error().describe();
  EXPECT_NE(found.error().message.find("/pki/issuing-ca.cer"), std::string::npos);
}

TEST_F(IssuerFetchTest, PemGarbageAndOversizedAnswersAreRefused) {
  serve(2);
  answer(Server::http_response(200, "application/pkix-cert",
                               pki_->ca.issuing_certificate().to_pem().value()));
  auto pem = fetch_issuer_certificates(pki_->signer);
  ASSERT_FALSE(pem);
  EXPECT_EQ(pem.error().code, ErrorCode::kMalformed) << pem.error().describe();

  const std::string der = body_of(pki_->ca.issuing_certificate().der());
  answer(Server::http_response(200, "application/pkix-cert", der));
  IssuerFetchOptions small;
  small.limits.max_response_bytes = der.size() / 2;
  auto big = fetch_issuer_certificates(pki_->signer, small);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kIo) << big.error().describe();
}

TEST_F(IssuerFetchTest, ParsesOnlyWhatRfc5280Allows) {
  serve(0);
  const Bytes der = pki_->ca.issuing_certificate().der();
  ASSERT_TRUE(parse_ca_issuers_answer(der, 8));
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(parse_ca_issuers_answer(trailing, 8));
  EXPECT_FALSE(parse_ca_issuers_answer(Bytes{}, 8));
  EXPECT_FALSE(parse_ca_issuers_answer(certs_only({}), 8)) << "an empty bundle";
  const Bytes two = certs_only({pki_->ca.root_certificate(), pki_->ca.issuing_certificate()});
  EXPECT_TRUE(parse_ca_issuers_answer(two, 2));
  auto too_many = parse_ca_issuers_answer(two, 1);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::kMalformed);
}

TEST_F(IssuerFetchTest, ACertificateWithoutAnAddressIsNotFound) {
  serve(0);
  auto found = fetch_issuer_certificates(pki_->ca.root_certificate());
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pactum::pki

// PAdES baseline B-T end to end: sign_pdf (pdf) with the timestampers of pki, in process and over
// HTTP, judged by OpenSSL's CMS verification and pki's own token verification.
#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "../crypto/cms_test_support.h"
#include "../crypto/crypto_test_support.h"
#include "loopback_http_server.h"
#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/pdf/inspect.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pki/dev_tsa.h"
#include "pactum/pki/http_timestamper.h"
#include "pactum/pki/in_process_timestamper.h"
#include "pactum/pki/tsa_client.h"
#include "pactum/pki/tsa_files.h"
#include "pdf_fixtures.h"

namespace pactum::pki {
namespace {

using crypto::DigestAlgorithm;
using std::chrono::system_clock;
using namespace std::chrono_literals;

// SignedParts is a signed PDF cut where its last signature says: the CMS and the signed bytes.
struct SignedParts {
  Bytes cms;
  Bytes signed_bytes;
};

Bytes whole_file(const pdf::SignedPdf& s) {
  Bytes out(static_cast<std::size_t>(s.document->source().size()));
  EXPECT_TRUE(s.document->source().read(0, out));
  out.insert(out.end(), s.update.bytes.begin(), s.update.bytes.end());
  return out;
}

std::optional<SignedParts> last_signature(const Bytes& pdf) {
  auto report = pdf::inspect_pdf(*view_source(pdf));
  if (!report || report->signatures.empty() || report->signatures.back().byte_range.size() != 4) {
    ADD_FAILURE() << "no signature with a byte range";
    return std::nullopt;
  }
  const auto r = report->signatures.back().byte_range;
  const auto at = [&](long long i) { return pdf.begin() + static_cast<std::ptrdiff_t>(i); };
  SignedParts parts;
  parts.signed_bytes.assign(pdf.begin(), at(r[1]));
  parts.signed_bytes.insert(parts.signed_bytes.end(), at(r[2]), at(r[2] + r[3]));
  const std::string hex(at(r[1] + 1), at(r[2] - 1));
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    parts.cms.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  // DER knows its own length: drop the zero padding of the placeholder.
  const unsigned char* cursor = parts.cms.data();
  crypto::UniquePtr<CMS_ContentInfo> cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(parts.cms.size())));
  if (!cms) {
    ADD_FAILURE() << "/Contents holds no CMS";
    return std::nullopt;
  }
  parts.cms.resize(static_cast<std::size_t>(cursor - parts.cms.data()));
  return parts;
}

class PadesBtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = crypto::testing::fresh_temp_dir();
    ASSERT_TRUE(crypto::write_dev_ca(dir_));
    now_ = std::chrono::floor<std::chrono::seconds>(system_clock::now());
    gen_time_ = now_ - 10s;
    auto written = write_dev_tsa(dir_, now_);
    ASSERT_TRUE(written) << written.error().describe();
    root_.emplace(crypto::Certificate::from_pem(read_file(dir_ + "/root.pem").value()).value());
    for (const char* who : {"rsa", "ec"}) {
      keys_.emplace(
          who,
          crypto::PrivateKey::from_pem(read_file(dir_ + "/" + who + ".key.pem").value()).value());
      certs_.emplace(
          who,
          crypto::Certificate::from_pem(read_file(dir_ + "/" + who + ".cert.pem").value()).value());
    }
    auto tsa = open_tsa(dir_ + "/tsa-state");
    ASSERT_TRUE(tsa) << tsa.error().describe();
    tsa_ = std::move(*tsa);
  }

  [[nodiscard]] Result<std::shared_ptr<const TimeStampAuthority>> open_tsa(
      std::optional<std::string> serial_dir) const {
    const auto fixed = gen_time_;
    return open_tsa_from_files({.key_path = dir_ + "/tsa.key.pem",
                                .certificate_path = dir_ + "/tsa.cert.pem",
                                .chain_paths = {},
                                .serial_dir = std::move(serial_dir),
                                .policy_oid = std::string(kPactumTestTsaPolicy)},
                               [fixed] { return fixed; });
  }

  pdf::SignatureRequest request(const std::string& who,
                                const crypto::SignatureTimestamper* timestamper) {
    pdf::SignatureRequest r;
    r.key = &keys_.at(who);
    r.certificate = &certs_.at(who);
    r.reason = "B-T";
    r.signing_time = now_;
    r.timestamper = timestamper;
    return r;
  }

  [[nodiscard]] TimeStampTrust trust() const { return {{*root_}, {}, std::nullopt}; }

  // check_bt asserts that pdf's last signature is a valid B-T signature whose token verifies
  // against the dev root over the hash of its signature value; returns what the token says.
  std::optional<TimeStampInfo> check_bt(const Bytes& pdf, DigestAlgorithm digest) {
    auto parts = last_signature(pdf);
    if (!parts) {
      return std::nullopt;
    }
    auto contents = crypto::testing::read_signer_info(parts->cms);
    if (!contents) {
      return std::nullopt;
    }
    EXPECT_EQ(contents->reencoded, parts->cms) << "the CMS does not re-encode to the same DER";
    EXPECT_EQ(contents->signed_nids.size(), 3U);
    for (const int nid : contents->signed_nids) {
      EXPECT_NE(nid, NID_pkcs9_signingTime);
    }
    EXPECT_TRUE(cms_verifies(parts->cms, parts->signed_bytes));
    if (contents->unsigned_attributes.size() != 1 ||
        contents->unsigned_attributes.front().nid != NID_id_smime_aa_timeStampToken ||
        contents->unsigned_attributes.front().values.size() != 1) {
      ADD_FAILURE() << "expected exactly one signatureTimeStampToken";
      return std::nullopt;
    }
    const Bytes& token = contents->unsigned_attributes.front().values.front();
    auto info = verify_timestamp_token(
        token, digest, crypto::digest_of(digest, contents->signature_value), std::nullopt, trust());
    if (!info) {
      ADD_FAILURE() << "token does not verify: " << info.error().describe();
      return std::nullopt;
    }
    EXPECT_EQ(info->gen_time, gen_time_);
    EXPECT_EQ(info->policy_oid, kPactumTestTsaPolicy);
    return std::move(*info);
  }

  bool cms_verifies(const Bytes& cms_der, const Bytes& content) const {
    const unsigned char* cursor = cms_der.data();
    const crypto::UniquePtr<CMS_ContentInfo> cms(
        d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(cms_der.size())));
    const crypto::UniquePtr<X509_STORE> store(X509_STORE_new());
    auto bio = crypto::memory_bio(content);
    if (!cms || !store || !bio || X509_STORE_add_cert(store.get(), root_->native()) != 1) {
      return false;
    }
    return CMS_verify(cms.get(), nullptr, store.get(), bio->get(), nullptr,
                      CMS_DETACHED | CMS_BINARY) == 1;
  }

  std::string dir_;
  system_clock::time_point now_;
  system_clock::time_point gen_time_;
  std::optional<crypto::Certificate> root_;
  std::map<std::string, crypto::PrivateKey> keys_;
  std::map<std::string, crypto::Certificate> certs_;
  std::shared_ptr<const TimeStampAuthority> tsa_;
};

TEST_F(PadesBtTest, InProcessSignatureTimestampVerifiesOverTheSignatureValue) {
  const InProcessTimestamper timestamper(tsa_);
  std::uint8_t expected_serial = 0;
  for (const auto& [who, digest] :
       {std::pair{"rsa", DigestAlgorithm::kSha256}, std::pair{"ec", DigestAlgorithm::kSha256}}) {
    auto signed_pdf =
        pdf::sign_pdf(memory_source(fixtures::classic_pdf(2)), request(who, &timestamper));
    ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
    auto info = check_bt(whole_file(*signed_pdf), digest);
    ASSERT_TRUE(info.has_value()) << who;
    // One token per signature: the estimate left room for it, so there was no second attempt.
    EXPECT_EQ(info->serial, Bytes{++expected_serial}) << who;
  }
}

TEST_F(PadesBtTest, SignedAttributesAreThoseOfBB) {
  const InProcessTimestamper timestamper(tsa_);
  auto bt = pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("rsa", &timestamper));
  auto bb = pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("rsa", nullptr));
  ASSERT_TRUE(bt && bb);
  auto bt_parts = last_signature(whole_file(*bt));
  auto bb_parts = last_signature(whole_file(*bb));
  ASSERT_TRUE(bt_parts && bb_parts);
  auto bt_info = crypto::testing::read_signer_info(bt_parts->cms);
  auto bb_info = crypto::testing::read_signer_info(bb_parts->cms);
  ASSERT_TRUE(bt_info && bb_info);
  EXPECT_EQ(bt_info->signed_nids, bb_info->signed_nids);
  EXPECT_TRUE(bb_info->unsigned_attributes.empty());
  EXPECT_EQ(bt_info->unsigned_attributes.size(), 1U);
}

TEST_F(PadesBtTest, ShortPlaceholderIsResizedAndAsksForASecondToken) {
  const InProcessTimestamper timestamper(tsa_);
  pdf::SignatureRequest r = request("ec", &timestamper);
  r.contents_capacity_for_test = 600;  // room for the signature but not for the token
  auto signed_pdf = pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), r);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  auto info = check_bt(whole_file(*signed_pdf), DigestAlgorithm::kSha256);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->serial, Bytes{2});  // the first token went into the attempt that did not fit
}

TEST_F(PadesBtTest, RemoteTsaOverHttpGivesAVerifiedToken) {
  testing::LoopbackHttpServer server([this](const std::string& body) {
    auto response = tsa_->respond(as_bytes(body));
    return testing::LoopbackHttpServer::http_response(
        200, "application/timestamp-reply", std::string(as_chars(response.value_or(Bytes{}))));
  });
  const HttpTimestamper timestamper(server.url(), trust());
  auto signed_pdf =
      pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("rsa", &timestamper));
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  auto info = check_bt(whole_file(*signed_pdf), DigestAlgorithm::kSha256);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->nonce.has_value());  // the HTTP client always sends one
}

TEST_F(PadesBtTest, RemoteTsaFailuresFailTheSignature) {
  {
    testing::LoopbackHttpServer server([](const std::string&) {
      return testing::LoopbackHttpServer::http_response(503, "text/plain", "down");
    });
    const HttpTimestamper timestamper(server.url(), trust());
    auto signed_pdf =
        pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("ec", &timestamper));
    ASSERT_FALSE(signed_pdf);
    EXPECT_EQ(signed_pdf.error().code, ErrorCode::kIo) << signed_pdf.error().describe();
  }
  {
    // A token from a TSA that does not chain to the anchors we were told to trust.
    auto other_root = crypto::make_dev_root(now_).value();
    testing::LoopbackHttpServer server([this](const std::string& body) {
      auto response = tsa_->respond(as_bytes(body));
      return testing::LoopbackHttpServer::http_response(
          200, "application/timestamp-reply", std::string(as_chars(response.value_or(Bytes{}))));
    });
    const HttpTimestamper timestamper(server.url(), {{other_root.certificate}, {}, std::nullopt});
    auto signed_pdf =
        pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("ec", &timestamper));
    ASSERT_FALSE(signed_pdf);
    EXPECT_NE(signed_pdf.error().code, ErrorCode::kInternal) << signed_pdf.error().describe();
  }
}

TEST_F(PadesBtTest, DevTsaFilesHaveTheirModesAndRandomSerialsWithoutState) {
  struct stat key_stat {};
  struct stat cert_stat {};
  ASSERT_EQ(::stat((dir_ + "/tsa.key.pem").c_str(), &key_stat), 0);
  ASSERT_EQ(::stat((dir_ + "/tsa.cert.pem").c_str(), &cert_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777U, 0600U);
  EXPECT_EQ(cert_stat.st_mode & 0777U, 0644U);

  auto stateless = open_tsa(std::nullopt);
  ASSERT_TRUE(stateless) << stateless.error().describe();
  const InProcessTimestamper timestamper(*stateless);
  auto signed_pdf =
      pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), request("ec", &timestamper));
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  auto info = check_bt(whole_file(*signed_pdf), DigestAlgorithm::kSha256);
  ASSERT_TRUE(info.has_value());
  EXPECT_GE(info->serial.size(), 15U);  // 16 random bytes, a leading zero byte dropped at most

  EXPECT_EQ(write_dev_tsa(dir_ + "/missing", now_).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(open_tsa_from_files({.key_path = dir_ + "/ec.key.pem",
                                    .certificate_path = dir_ + "/ec.cert.pem",
                                    .chain_paths = {},
                                    .serial_dir = std::nullopt},
                                   [] { return system_clock::now(); }));  // not a TSA certificate
}

}  // namespace
}  // namespace pactum::pki

#include "pactum/pki/tsa.h"

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../crypto/crypto_test_support.h"
#include "loopback_http_server.h"
#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"
#include "pactum/pki/tsa_certificate.h"
#include "pactum/pki/tsa_client.h"
#include "pactum/pki/tsa_http.h"
#include "pactum/pki/tsa_serial.h"
#include "test_files.h"

namespace pactum::pki {
namespace {

using crypto::DigestAlgorithm;
using std::chrono::system_clock;
using namespace std::chrono_literals;

constexpr std::string_view kPolicy = "1.3.6.1.4.1.99999.3161.1";
constexpr std::string_view kData = "the bytes of a contract that needs a trusted time\n";

using pactum::testing::CommandResult;
using pactum::testing::run_command;

Bytes read_bytes(const std::string& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes.has_value()) << path;
  return bytes.value_or(Bytes{});
}

Bytes to_bytes(std::string_view text) {
  const ByteView view = as_bytes(text);
  return {view.begin(), view.end()};
}

// query_with_imprint_length builds, with OpenSSL directly, a SHA-256 query whose imprint has
// `length` bytes (our make_timestamp_query refuses to).
Bytes query_with_imprint_length(int length) {
  const std::unique_ptr<TS_REQ, decltype(&TS_REQ_free)> request(TS_REQ_new(), TS_REQ_free);
  const std::unique_ptr<TS_MSG_IMPRINT, decltype(&TS_MSG_IMPRINT_free)> imprint(
      TS_MSG_IMPRINT_new(), TS_MSG_IMPRINT_free);
  const std::unique_ptr<X509_ALGOR, decltype(&X509_ALGOR_free)> algorithm(X509_ALGOR_new(),
                                                                          X509_ALGOR_free);
  Bytes digest(static_cast<std::size_t>(length), 0xAB);
  X509_ALGOR_set_md(algorithm.get(), EVP_sha256());
  EXPECT_EQ(TS_REQ_set_version(request.get(), 1), 1);
  EXPECT_EQ(TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()), 1);
  EXPECT_EQ(TS_MSG_IMPRINT_set_msg(imprint.get(), digest.data(), length), 1);
  EXPECT_EQ(TS_REQ_set_msg_imprint(request.get(), imprint.get()), 1);
  return crypto::der_encode([&](unsigned char** out) { return i2d_TS_REQ(request.get(), out); },
                            "query")
      .value_or(Bytes{});
}

bool has_failure(const TimeStampStatus& status, const std::string& name) {
  return std::find(status.failures.begin(), status.failures.end(), name) != status.failures.end();
}

// TsaTest gives each test a root CA, a TSA certificate under it, PEM files for the openssl judge,
// and a TSA with a fixed clock whose serial counter lives in the test's own directory.
class TsaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = crypto::testing::fresh_temp_dir();
    // The openssl judge checks certificates against the real time, so they are made around it;
    // the TSA itself only ever reads the injected clock.
    const auto now = std::chrono::floor<std::chrono::seconds>(system_clock::now());
    gen_time_ = now - 30s;
    auto root = crypto::make_dev_root(now);
    ASSERT_TRUE(root.has_value()) << root.error().message;
    root_.emplace(std::move(*root));
    auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256);
    ASSERT_TRUE(key.has_value());
    tsa_key_.emplace(std::move(*key));
    auto cert = issue_tsa_certificate(
        root_->key, root_->certificate, *tsa_key_,
        {"Pactum Test TSA", "Pactum (test)", now - 1h, now + std::chrono::days(365)});
    ASSERT_TRUE(cert.has_value()) << cert.error().message;
    tsa_cert_.emplace(std::move(*cert));
    crypto::testing::write_bytes(dir_ + "/root.pem", as_bytes(root_->certificate.to_pem().value()));
    crypto::testing::write_bytes(dir_ + "/tsa.pem", as_bytes(tsa_cert_->to_pem().value()));
    crypto::testing::write_bytes(dir_ + "/data.txt", as_bytes(kData));
    auto tsa = make_tsa();
    ASSERT_TRUE(tsa.has_value()) << tsa.error().message;
    tsa_.emplace(std::move(*tsa));
  }

  [[nodiscard]] Result<TimeStampAuthority> make_tsa(std::uint64_t block = 16) const {
    auto serials = FileSerialCounter::open(dir_ + "/tsa-state", block);
    if (!serials) {
      return std::unexpected(serials.error());
    }
    const auto fixed = gen_time_;
    return TimeStampAuthority::create(TsaConfig{
        .key = *tsa_key_,
        .certificate = *tsa_cert_,
        .chain = {},
        .policy_oid = std::string(kPolicy),
        .accuracy = {.seconds = 1, .millis = 500, .micros = 0},
        .clock = [fixed] { return fixed; },
        .serials = std::move(*serials),
    });
  }

  [[nodiscard]] TimeStampTrust trust() const { return {{root_->certificate}, {}, std::nullopt}; }

  [[nodiscard]] Bytes data_digest() const {
    return crypto::digest_of(DigestAlgorithm::kSha256, as_bytes(kData));
  }

  // respond_to_openssl_query makes a query with `openssl ts -query <options>`, answers it with
  // the TSA and stores both in the test directory as q.tsq and resp.tsr; returns the response.
  Bytes respond_to_openssl_query(const std::string& options) {
    const CommandResult query = run_command("openssl ts -query -data '" + dir_ + "/data.txt' " +
                                            options + " -out '" + dir_ + "/q.tsq'");
    EXPECT_EQ(query.exit_status, 0) << query.output;
    auto response = tsa_->respond(read_bytes(dir_ + "/q.tsq"));
    EXPECT_TRUE(response.has_value()) << response.error().message;
    crypto::testing::write_bytes(dir_ + "/resp.tsr", response.value_or(Bytes{}));
    return response.value_or(Bytes{});
  }

  std::string dir_;
  system_clock::time_point gen_time_;
  std::optional<crypto::DevAuthority> root_;
  std::optional<crypto::PrivateKey> tsa_key_;
  std::optional<crypto::Certificate> tsa_cert_;
  std::optional<TimeStampAuthority> tsa_;
};

// ---- the TSA certificate profile --------------------------------------------------------------

TEST_F(TsaTest, CertificateHasCriticalTimeStampingEkuAndSigningKeyUsage) {
  X509* cert = tsa_cert_->native();
  const int eku = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1);
  ASSERT_GE(eku, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(cert, eku)), 1);
  EXPECT_EQ(X509_get_extended_key_usage(cert), static_cast<std::uint32_t>(XKU_TIMESTAMP));
  EXPECT_EQ(X509_get_key_usage(cert),
            static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
  EXPECT_EQ(X509_check_ca(cert), 0);
  const CommandResult judge = run_command("openssl verify -purpose timestampsign -CAfile '" + dir_ +
                                          "/root.pem' '" + dir_ + "/tsa.pem'");
  EXPECT_EQ(judge.exit_status, 0) << judge.output;
}

TEST_F(TsaTest, CreateRefusesACertificateThatIsNotForTimeStamping) {
  auto signer_key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256);
  ASSERT_TRUE(signer_key.has_value());
  auto signer = crypto::issue_dev_signer(*root_, *signer_key, "Not a TSA", gen_time_);
  ASSERT_TRUE(signer.has_value());
  auto serials = std::make_shared<RandomSerialSource>();
  const auto clock = [this] { return gen_time_; };
  auto tsa = TimeStampAuthority::create(
      {*signer_key, *signer, {}, std::string(kPolicy), {}, clock, serials});
  ASSERT_FALSE(tsa.has_value());
  EXPECT_EQ(tsa.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(tsa.error().message.find("not a TSA certificate"), std::string::npos);

  auto mismatched = TimeStampAuthority::create(
      {*signer_key, *tsa_cert_, {}, std::string(kPolicy), {}, clock, serials});
  ASSERT_FALSE(mismatched.has_value());
  auto bad_policy =
      TimeStampAuthority::create({*tsa_key_, *tsa_cert_, {}, "not an oid", {}, clock, serials});
  ASSERT_FALSE(bad_policy.has_value());
  EXPECT_NE(bad_policy.error().message.find("not a dotted OID"), std::string::npos);
}

// ---- respond(): judged by the openssl command line --------------------------------------------

TEST_F(TsaTest, OpensslQueryIsGrantedAndOpensslVerifiesTheReply) {
  respond_to_openssl_query("-sha256 -cert");

  const CommandResult text = run_command("openssl ts -reply -in '" + dir_ + "/resp.tsr' -text");
  ASSERT_EQ(text.exit_status, 0) << text.output;
  EXPECT_NE(text.output.find("Status: Granted."), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Policy OID: " + std::string(kPolicy)), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("Serial number: 0x01"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Accuracy: 0x01 seconds, 0x01F4 millis, unspecified micros"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("Ordering: no"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("TSA: DirName:"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Pactum Test TSA"), std::string::npos) << text.output;

  const std::string verify = "openssl ts -verify -in '" + dir_ + "/resp.tsr' -CAfile '" + dir_ +
                             "/root.pem' -untrusted '" + dir_ + "/tsa.pem'";
  const CommandResult ok = run_command(verify + " -data '" + dir_ + "/data.txt'");
  EXPECT_EQ(ok.exit_status, 0) << ok.output;
  EXPECT_NE(ok.output.find("Verification: OK"), std::string::npos) << ok.output;

  crypto::testing::write_bytes(dir_ + "/other.txt", as_bytes("other bytes"));
  const CommandResult wrong = run_command(verify + " -data '" + dir_ + "/other.txt'");
  EXPECT_NE(wrong.exit_status, 0) << wrong.output;
  EXPECT_EQ(wrong.output.find("Verification: OK"), std::string::npos) << wrong.output;

  // The query verifies with our client too, and the details are the ones configured.
  auto info = verify_timestamp_response(read_bytes(dir_ + "/resp.tsr"), read_bytes(dir_ + "/q.tsq"),
                                        trust());
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->gen_time, gen_time_);
  EXPECT_EQ(info->serial, Bytes{1});
  EXPECT_EQ(info->policy_oid, kPolicy);
  EXPECT_EQ(info->imprint_algorithm, "sha256");
  EXPECT_EQ(info->imprint, data_digest());
  EXPECT_EQ(info->accuracy, std::chrono::microseconds(1'500'000));
  EXPECT_FALSE(info->ordering);
  EXPECT_EQ(info->tsa_name, tsa_cert_->subject());
  EXPECT_EQ(info->signer.der(), tsa_cert_->der());
  ASSERT_TRUE(info->nonce.has_value());  // openssl ts -query sends a nonce by default
}

TEST_F(TsaTest, Sha384AndSha512ImprintsAreGrantedSha1IsRefusedAsBadAlg) {
  for (const char* digest : {"-sha384", "-sha512"}) {
    respond_to_openssl_query(std::string(digest) + " -cert");
    const CommandResult ok =
        run_command("openssl ts -verify -data '" + dir_ + "/data.txt' -in '" + dir_ +
                    "/resp.tsr' -CAfile '" + dir_ + "/root.pem' -untrusted '" + dir_ + "/tsa.pem'");
    EXPECT_NE(ok.output.find("Verification: OK"), std::string::npos) << digest << ok.output;
  }
  const Bytes refused = respond_to_openssl_query("-sha1 -cert");
  auto status = read_timestamp_status(refused);
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_EQ(status->status, 2);
  EXPECT_TRUE(has_failure(*status, "badAlg")) << status->describe();
}

TEST_F(TsaTest, WithoutCertReqTheTokenCarriesNoCertificate) {
  respond_to_openssl_query("-sha256 -no_nonce");
  const CommandResult without =
      run_command("openssl ts -verify -data '" + dir_ + "/data.txt' -in '" + dir_ +
                  "/resp.tsr' -CAfile '" + dir_ + "/root.pem'");
  EXPECT_EQ(without.output.find("Verification: OK"), std::string::npos) << without.output;
  const CommandResult with =
      run_command("openssl ts -verify -data '" + dir_ + "/data.txt' -in '" + dir_ +
                  "/resp.tsr' -CAfile '" + dir_ + "/root.pem' -untrusted '" + dir_ + "/tsa.pem'");
  EXPECT_NE(with.output.find("Verification: OK"), std::string::npos) << with.output;

  // Our client needs the TSA certificate given when the token lacks it.
  const Bytes response = read_bytes(dir_ + "/resp.tsr");
  const Bytes query = read_bytes(dir_ + "/q.tsq");
  auto missing = verify_timestamp_response(response, query, trust());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("neither in the token"), std::string::npos);
  TimeStampTrust helped = trust();
  helped.intermediates.push_back(*tsa_cert_);
  EXPECT_TRUE(verify_timestamp_response(response, query, helped).has_value());
}

TEST_F(TsaTest, GarbageQueriesGetARejectionNeverACrash) {
  auto good = make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, std::nullopt);
  ASSERT_TRUE(good.has_value());
  Bytes trailing = *good;
  trailing.push_back(0);
  Bytes truncated(good->begin(), good->end() - 3);
  Bytes wrong_version = *good;
  ASSERT_EQ(wrong_version.at(2), 0x02);  // SEQUENCE { INTEGER version ...
  wrong_version.at(4) = 2;
  const Bytes short_imprint = query_with_imprint_length(31);
  const Bytes oversize(TimeStampAuthority::kMaxQueryBytes + 1, 0x30);
  const std::vector<Bytes> garbage = {
      {},        {0x30},   {0x30, 0x80}, {0xFF, 0xFF, 0xFF, 0xFF}, to_bytes(kData), trailing,
      truncated, oversize, wrong_version};
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    auto response = tsa_->respond(garbage.at(i));
    ASSERT_TRUE(response.has_value()) << i << ": " << response.error().message;
    auto status = read_timestamp_status(*response);
    ASSERT_TRUE(status.has_value()) << i << ": " << status.error().message;
    EXPECT_EQ(status->status, 2) << i;
    const bool last = i + 1 == garbage.size();  // a well-formed query of version 2
    EXPECT_TRUE(has_failure(*status, last ? "badRequest" : "badDataFormat"))
        << i << ": " << status->describe();
    EXPECT_FALSE(verify_timestamp_response(*response, *good, trust()).has_value()) << i;
  }
  crypto::testing::write_bytes(dir_ + "/garbage.tsr", tsa_->respond(garbage.at(3)).value());
  const CommandResult text = run_command("openssl ts -reply -in '" + dir_ + "/garbage.tsr' -text");
  EXPECT_NE(text.output.find("Status: Rejected"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("the data submitted has the wrong format"), std::string::npos)
      << text.output;
}

TEST_F(TsaTest, AnotherPolicyOrAnExtensionIsRefused) {
  auto other_policy = make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true,
                                           std::nullopt, "1.2.3.4.5");
  ASSERT_TRUE(other_policy.has_value());
  auto status = read_timestamp_status(tsa_->respond(*other_policy).value());
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(has_failure(*status, "unacceptedPolicy")) << status->describe();

  auto our_policy =
      make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, std::nullopt, kPolicy);
  ASSERT_TRUE(our_policy.has_value());
  const Bytes response = tsa_->respond(*our_policy).value();
  EXPECT_TRUE(verify_timestamp_response(response, *our_policy, trust()).has_value());
}

TEST_F(TsaTest, NonceIsEchoedAndAWrongNonceIsRefusedByTheClient) {
  const Bytes nonce = random_nonce().value();
  auto query = make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, nonce);
  ASSERT_TRUE(query.has_value());
  const Bytes response = tsa_->respond(*query).value();
  auto info = verify_timestamp_response(response, *query, trust());
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->nonce, nonce);

  Bytes other_nonce = nonce;
  other_nonce.back() ^= 1U;
  auto other_query =
      make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, other_nonce);
  ASSERT_TRUE(other_query.has_value());
  auto replayed = verify_timestamp_response(response, *other_query, trust());
  ASSERT_FALSE(replayed.has_value());
  EXPECT_NE(replayed.error().message.find("nonce"), std::string::npos);

  auto no_nonce_expected = verify_timestamp_response(
      tsa_->respond(
              make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, std::nullopt)
                  .value())
          .value(),
      *query, trust());
  ASSERT_FALSE(no_nonce_expected.has_value());
  EXPECT_NE(no_nonce_expected.error().message.find("no nonce"), std::string::npos);
}

// ---- stamp(): tokens for our own signatures ---------------------------------------------------

TEST_F(TsaTest, StampedTokenVerifiesWithOpensslAndTheClient) {
  const Bytes digest = data_digest();
  auto token = tsa_->stamp(DigestAlgorithm::kSha256, digest);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  crypto::testing::write_bytes(dir_ + "/token.der", *token);

  const std::string judge = "openssl ts -verify -token_in -in '" + dir_ + "/token.der' -CAfile '" +
                            dir_ + "/root.pem' -untrusted '" + dir_ + "/tsa.pem' -digest ";
  const CommandResult ok = run_command(judge + to_hex(digest));
  EXPECT_NE(ok.output.find("Verification: OK"), std::string::npos) << ok.output;
  const Bytes other = crypto::digest_of(DigestAlgorithm::kSha256, as_bytes("other"));
  const CommandResult wrong = run_command(judge + to_hex(other));
  EXPECT_EQ(wrong.output.find("Verification: OK"), std::string::npos) << wrong.output;

  auto info =
      verify_timestamp_token(*token, DigestAlgorithm::kSha256, digest, std::nullopt, trust());
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->token, *token);
  EXPECT_EQ(info->gen_time, gen_time_);
  EXPECT_EQ(info->gen_time_text.size(), 15U);  // YYYYMMDDHHMMSSZ

  auto mismatch =
      verify_timestamp_token(*token, DigestAlgorithm::kSha256, other, std::nullopt, trust());
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_NE(mismatch.error().message.find("another message imprint"), std::string::npos);
  auto other_algorithm = verify_timestamp_token(
      *token, DigestAlgorithm::kSha384,
      crypto::digest_of(DigestAlgorithm::kSha384, as_bytes(kData)), std::nullopt, trust());
  ASSERT_FALSE(other_algorithm.has_value());

  // A SHA-384 stamp with a nonce works the same way.
  const Bytes digest384 = crypto::digest_of(DigestAlgorithm::kSha384, as_bytes(kData));
  const Bytes nonce{0x01, 0x02, 0x03};
  auto token384 = tsa_->stamp(DigestAlgorithm::kSha384, digest384, nonce);
  ASSERT_TRUE(token384.has_value());
  auto info384 =
      verify_timestamp_token(*token384, DigestAlgorithm::kSha384, digest384, nonce, trust());
  ASSERT_TRUE(info384.has_value()) << info384.error().message;
  EXPECT_EQ(info384->imprint_algorithm, "sha384");

  EXPECT_EQ(tsa_->stamp(DigestAlgorithm::kSha256, Bytes(31, 0)).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(TsaTest, ClientRefusesOtherAnchorsAndTimesOutsideTheCertificate) {
  const Bytes digest = data_digest();
  const Bytes token = tsa_->stamp(DigestAlgorithm::kSha256, digest).value();

  auto stranger = crypto::make_dev_root(gen_time_);
  ASSERT_TRUE(stranger.has_value());
  const TimeStampTrust wrong_anchor{{stranger->certificate}, {}, std::nullopt};
  EXPECT_FALSE(
      verify_timestamp_token(token, DigestAlgorithm::kSha256, digest, std::nullopt, wrong_anchor)
          .has_value());

  TimeStampTrust later = trust();
  later.at = gen_time_ + std::chrono::days(2 * 365);
  auto expired =
      verify_timestamp_token(token, DigestAlgorithm::kSha256, digest, std::nullopt, later);
  ASSERT_FALSE(expired.has_value());
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos) << expired.error().message;

  auto no_anchor = verify_timestamp_token(token, DigestAlgorithm::kSha256, digest, std::nullopt,
                                          TimeStampTrust{});
  ASSERT_FALSE(no_anchor.has_value());
  EXPECT_EQ(no_anchor.error().code, ErrorCode::kInvalidArgument);

  EXPECT_EQ(verify_timestamp_token(Bytes{0x30, 0x00}, DigestAlgorithm::kSha256, digest,
                                   std::nullopt, trust())
                .error()
                .code,
            ErrorCode::kMalformed);
}

// A TSA certificate whose timeStamping EKU is not critical: OpenSSL will not even sign with it,
// so the token is made by hand (CMS over a genuine TSTInfo) the way a sloppy TSA would.
TEST_F(TsaTest, ClientRefusesATsaCertificateWithoutCriticalEku) {
  const Bytes digest = data_digest();
  const Bytes genuine = tsa_->stamp(DigestAlgorithm::kSha256, digest).value();

  const crypto::UniquePtr<X509> cert(X509_new());
  ASSERT_TRUE(cert);
  ASSERT_EQ(X509_set_version(cert.get(), X509_VERSION_3), 1);
  ASSERT_EQ(X509_set_pubkey(cert.get(), tsa_key_->native()), 1);
  ASSERT_TRUE(crypto::set_serial(cert.get(), Bytes{0x42}).has_value());
  ASSERT_TRUE(crypto::set_validity(cert.get(), gen_time_ - 1h, gen_time_ + 24h).has_value());
  ASSERT_TRUE(
      crypto::add_name_entry(X509_get_subject_name(cert.get()), "CN", "Sloppy TSA").has_value());
  ASSERT_EQ(X509_set_issuer_name(cert.get(), X509_get_subject_name(root_->certificate.native())),
            1);
  X509V3_CTX context{};
  X509V3_set_ctx(&context, root_->certificate.native(), cert.get(), nullptr, nullptr, 0);
  ASSERT_TRUE(
      crypto::add_extension(cert.get(), &context, NID_key_usage, "critical,digitalSignature")
          .has_value());
  ASSERT_TRUE(
      crypto::add_extension(cert.get(), &context, NID_ext_key_usage, "timeStamping").has_value());
  auto sloppy = crypto::sign_certificate(cert.get(), root_->key);
  ASSERT_TRUE(sloppy.has_value());

  auto refused = TimeStampAuthority::create({*tsa_key_,
                                             *sloppy,
                                             {},
                                             std::string(kPolicy),
                                             {},
                                             [this] { return gen_time_; },
                                             std::make_shared<RandomSerialSource>()});
  ASSERT_FALSE(refused.has_value());

  const unsigned char* cursor = genuine.data();
  const std::unique_ptr<PKCS7, decltype(&PKCS7_free)> token(
      d2i_PKCS7(nullptr, &cursor, static_cast<long>(genuine.size())), PKCS7_free);
  ASSERT_TRUE(token);
  const std::unique_ptr<TS_TST_INFO, decltype(&TS_TST_INFO_free)> tst(
      PKCS7_to_TS_TST_INFO(token.get()), TS_TST_INFO_free);
  ASSERT_TRUE(tst);
  const Bytes content =
      crypto::der_encode([&](unsigned char** out) { return i2d_TS_TST_INFO(tst.get(), out); },
                         "TSTInfo")
          .value();
  auto bio = crypto::memory_bio(content);
  ASSERT_TRUE(bio.has_value());
  const crypto::UniquePtr<CMS_ContentInfo> cms(CMS_sign(sloppy->native(), tsa_key_->native(),
                                                        nullptr, bio->get(),
                                                        CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP));
  ASSERT_TRUE(cms);
  ASSERT_EQ(CMS_set1_eContentType(cms.get(), OBJ_nid2obj(NID_id_smime_ct_TSTInfo)), 1);
  auto again = crypto::memory_bio(content);
  ASSERT_EQ(CMS_final(cms.get(), again->get(), nullptr, CMS_BINARY), 1);
  const Bytes forged =
      crypto::der_encode([&](unsigned char** out) { return i2d_CMS_ContentInfo(cms.get(), out); },
                         "CMS")
          .value();

  auto verdict =
      verify_timestamp_token(forged, DigestAlgorithm::kSha256, digest, std::nullopt, trust());
  ASSERT_FALSE(verdict.has_value());
  EXPECT_NE(verdict.error().message.find("not critical"), std::string::npos)
      << verdict.error().message;
}

// ---- serial numbers ---------------------------------------------------------------------------

Bytes serial_of(const Bytes& token, const Bytes& digest, const TimeStampTrust& trust) {
  auto info = verify_timestamp_token(token, DigestAlgorithm::kSha256, digest, std::nullopt, trust);
  EXPECT_TRUE(info.has_value()) << info.error().message;
  return info ? info->serial : Bytes{};
}

TEST_F(TsaTest, SerialsStayUniqueAcrossThreadsAndRestarts) {
  const Bytes digest = data_digest();
  std::set<Bytes> seen;
  std::size_t issued = 0;
  for (int round = 0; round < 3; ++round) {
    // A new TSA over the same directory, as after a restart; blocks of 4 force several writes.
    tsa_.reset();
    auto tsa = make_tsa(4);
    ASSERT_TRUE(tsa.has_value()) << tsa.error().message;
    constexpr int kThreads = 4;
    constexpr int kEach = 5;
    std::vector<std::vector<Bytes>> tokens(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto token = tsa->stamp(DigestAlgorithm::kSha256, digest);
          if (token) {
            tokens.at(static_cast<std::size_t>(t)).push_back(std::move(*token));
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    for (const auto& list : tokens) {
      ASSERT_EQ(list.size(), static_cast<std::size_t>(kEach));
      for (const Bytes& token : list) {
        seen.insert(serial_of(token, digest, trust()));
        ++issued;
      }
    }
  }
  EXPECT_EQ(seen.size(), issued);
  EXPECT_EQ(issued, 60U);
}

TEST_F(TsaTest, SerialCounterRefusesADamagedRecord) {
  const std::string dir = dir_ + "/damaged";
  ASSERT_TRUE(FileSerialCounter::open(dir).has_value());
  ASSERT_TRUE(write_file_atomically(dir + "/tsa-serial", as_bytes("12x\n")).has_value());
  auto damaged = FileSerialCounter::open(dir);
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().code, ErrorCode::kMalformed);
  EXPECT_FALSE(FileSerialCounter::open(dir_ + "/other", 0).has_value());

  auto random = RandomSerialSource().next();
  ASSERT_TRUE(random.has_value());
  EXPECT_EQ(random->size(), 16U);
}

// ---- RFC 3161 over HTTP, against a loopback server ---------------------------------------------

TEST_F(TsaTest, HttpClientTalksToOurTsaOverLoopback) {
  testing::LoopbackHttpServer server([this](const std::string& body) {
    auto response = tsa_->respond(as_bytes(body));
    return testing::LoopbackHttpServer::http_response(
        200, "application/timestamp-reply", std::string(as_chars(response.value_or(Bytes{}))));
  });
  auto info = request_timestamp(server.url(), DigestAlgorithm::kSha256, data_digest(), trust());
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->imprint, data_digest());
  EXPECT_TRUE(info->nonce.has_value());
  EXPECT_EQ(info->gen_time, gen_time_);
  const std::string head = server.last_request_head();
  EXPECT_NE(head.find("POST /tsa HTTP/1.1"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: application/timestamp-query"), std::string::npos) << head;
}

TEST_F(TsaTest, HttpClientReportsStatusTypeSizeTimeoutAndRefusal) {
  const Bytes query =
      make_timestamp_query(DigestAlgorithm::kSha256, data_digest(), true, std::nullopt).value();
  const auto expect_error = [&](const testing::LoopbackHttpServer::Handler& handler,
                                const std::string& needle, TsaHttpOptions options = {}) {
    testing::LoopbackHttpServer server(handler);
    auto answer = post_timestamp_query(server.url(), query, options);
    ASSERT_FALSE(answer.has_value()) << needle;
    EXPECT_EQ(answer.error().code, ErrorCode::kIo);
    EXPECT_NE(answer.error().message.find(needle), std::string::npos) << answer.error().message;
  };
  expect_error(
      [](const std::string&) {
        return testing::LoopbackHttpServer::http_response(500, "text/plain", "down");
      },
      "HTTP 500");
  expect_error(
      [](const std::string&) {
        return testing::LoopbackHttpServer::http_response(200, "text/html", "<html>");
      },
      "Content-Type text/html");
  expect_error(
      [](const std::string&) {
        return testing::LoopbackHttpServer::http_response(200, "application/timestamp-reply",
                                                          std::string(10'000, 'x'));
      },
      "larger than 1000 bytes", TsaHttpOptions{.timeout = 5s, .max_response_bytes = 1000});
  expect_error([](const std::string&) { return std::string(); }, "Timeout",
               TsaHttpOptions{.timeout = 300ms, .max_response_bytes = 1000});

  // Nobody listens on a port whose server has gone.
  std::string closed_url;
  {
    testing::LoopbackHttpServer gone([](const std::string&) { return std::string(); }, 0);
    closed_url = gone.url();
  }
  auto refused = post_timestamp_query(closed_url, query, {.timeout = 2s});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  EXPECT_EQ(post_timestamp_query("", query).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace pactum::pki

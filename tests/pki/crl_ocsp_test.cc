#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <string>

#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/ca.h"
#include "pactum/pki/crl.h"
#include "pactum/pki/ocsp_responder.h"
#include "pki_test_support.h"

namespace pactum::pki {
namespace {

using crypto::UniquePtr;
using testing::judge_now;
using testing::person_request;
using testing::run_command;
using testing::write_bytes;
using testing::write_certificate;

constexpr std::chrono::seconds kOneDay = std::chrono::hours(24);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// CrlOcspTest is a CA with one good and one revoked person certificate, all written out as PEM
// for the openssl judge.
class CrlOcspTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir();
    now_ = judge_now() - std::chrono::minutes(2);  // unlike any clock OpenSSL might read
    auto ca = CertificateAuthority::create(dir_ + "/ca", CaSettings{}, testing::test_urls(),
                                           now_ - std::chrono::days(1));
    ASSERT_TRUE(ca.has_value()) << ca.error().describe();
    ca_.emplace(std::move(*ca));
    const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
    good_.emplace(ca_->issue(person_request(key, now_), now_).value());
    revoked_.emplace(ca_->issue(person_request(key, now_), now_).value());
    ASSERT_TRUE(ca_->revoke(revoked_->serial_hex(), RevocationReason::kKeyCompromise,
                            now_ - std::chrono::minutes(10))
                    .has_value());
    write_certificate(path("good.pem"), *good_);
    write_certificate(path("revoked.pem"), *revoked_);
  }

  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }
  [[nodiscard]] std::string root_pem() const { return dir_ + "/ca/root.cert.pem"; }
  [[nodiscard]] std::string issuing_pem() const { return dir_ + "/ca/issuing.cert.pem"; }

  // make_request has openssl write an OCSP request for cert_pem (issued by issuer_pem) with
  // extra options, and returns its path.
  std::string make_request(const std::string& cert_pem, const std::string& extra = "",
                           const std::string& issuer_pem = "") {
    const std::string out = path("request.der");
    const auto made = run_command("openssl ocsp " + extra + " -issuer " +
                                  (issuer_pem.empty() ? issuing_pem() : issuer_pem) + " -cert " +
                                  cert_pem + " -reqout " + out);
    EXPECT_EQ(made.exit_status, 0) << made.output;
    return out;
  }

  // answer runs our responder on the request file and stores the response; returns its path.
  std::string answer(const std::string& request_path) {
    const Bytes request = read_file(request_path).value();
    auto response = respond_ocsp(request, *ca_, now_, kOneDay);
    EXPECT_TRUE(response.has_value()) << response.error().describe();
    const std::string out = path("response.der");
    write_bytes(out, response.value_or(Bytes{}));
    return out;
  }

  // judge has openssl verify the stored response against the root, for cert_pem (CertIDs
  // hashed as extra says), and returns its output.
  testing::CommandResult judge(const std::string& response_path, const std::string& cert_pem,
                               const std::string& extra = "") {
    return run_command("openssl ocsp -no_nonce " + extra + " -respin " + response_path +
                       " -CAfile " + root_pem() + " -issuer " + issuing_pem() + " -cert " +
                       cert_pem);
  }

  std::string dir_;
  std::chrono::system_clock::time_point now_;
  std::optional<CertificateAuthority> ca_;
  std::optional<crypto::Certificate> good_;
  std::optional<crypto::Certificate> revoked_;
};

std::string upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

TEST_F(CrlOcspTest, CrlIsAcceptedByOpensslAndListsTheRevokedSerialWithItsReason) {
  auto crl = generate_crl(*ca_, now_, kOneDay);
  ASSERT_TRUE(crl.has_value()) << crl.error().describe();
  EXPECT_EQ(crl->number, 1U);
  write_bytes(path("crl.pem"), as_bytes(crl->to_pem().value()));
  write_bytes(path("crl.der"), crl->der);

  const auto text = run_command("openssl crl -in " + path("crl.pem") + " -CAfile " + issuing_pem() +
                                " -verify -noout -text");
  EXPECT_EQ(text.exit_status, 0) << text.output;
  for (const std::string& expected :
       {std::string("verify OK"), std::string("Version 2 (0x1)"),
        std::string("X509v3 CRL Number: \n                1"),
        std::string("X509v3 Authority Key Identifier"),
        "Serial Number: " + upper(revoked_->serial_hex()),
        std::string("X509v3 CRL Reason Code: \n                Key Compromise")}) {
    EXPECT_TRUE(contains(text.output, expected)) << expected << "\n" << text.output;
  }
  EXPECT_FALSE(contains(text.output, upper(good_->serial_hex()))) << text.output;

  // The second judge: chain validation with the CRL rejects the revoked and keeps the good one.
  const std::string verify = "openssl verify -crl_check -CAfile " + root_pem() + " -untrusted " +
                             issuing_pem() + " -CRLfile " + path("crl.pem") + " ";
  const auto good = run_command(verify + path("good.pem"));
  EXPECT_EQ(good.exit_status, 0) << good.output;
  const auto revoked = run_command(verify + path("revoked.pem"));
  EXPECT_NE(revoked.exit_status, 0) << revoked.output;
  EXPECT_TRUE(contains(revoked.output, "certificate revoked")) << revoked.output;
}

TEST_F(CrlOcspTest, CrlNumberRisesAcrossRestartsAndUnspecifiedReasonHasNoReasonCode) {
  EXPECT_EQ(generate_crl(*ca_, now_, kOneDay)->number, 1U);
  EXPECT_EQ(generate_crl(*ca_, now_, kOneDay)->number, 2U);
  auto reopened = CertificateAuthority::open(dir_ + "/ca", testing::test_urls());
  ASSERT_TRUE(reopened.has_value());
  const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
  const auto cert = reopened->issue(person_request(key, now_), now_).value();
  ASSERT_TRUE(reopened->revoke(cert.serial_hex(), RevocationReason::kUnspecified, now_));
  auto crl = generate_crl(*reopened, now_, kOneDay);
  ASSERT_TRUE(crl.has_value());
  EXPECT_EQ(crl->number, 3U);
  EXPECT_EQ(crl->next_update, now_ + kOneDay);

  const unsigned char* cursor = crl->der.data();
  const UniquePtr<X509_CRL> parsed(
      d2i_X509_CRL(nullptr, &cursor, static_cast<long>(crl->der.size())));
  ASSERT_TRUE(parsed);
  STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(parsed.get());
  ASSERT_EQ(sk_X509_REVOKED_num(entries), 2);
  int with_reason = 0;
  for (int i = 0; i < 2; ++i) {
    X509_REVOKED* entry = sk_X509_REVOKED_value(entries, i);
    with_reason += X509_REVOKED_get_ext_by_NID(entry, NID_crl_reason, -1) >= 0 ? 1 : 0;
  }
  EXPECT_EQ(with_reason, 1) << "only the key compromise carries a reason code";
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(parsed.get()),
                                 std::chrono::system_clock::to_time_t(now_)),
            0);
}

TEST_F(CrlOcspTest, RootCrlIsSignedByTheRootAndNumberedApartAcrossRestarts) {
  EXPECT_EQ(generate_crl(*ca_, now_, kOneDay)->number, 1U);
  // Making the CA signed and stored the first root CRL, number 1, while the root key was at hand.
  auto stored = read_root_crl(*ca_);
  ASSERT_TRUE(stored.has_value()) << stored.error().describe();
  EXPECT_EQ(stored->number, 1U) << "the root's numbers are its own";
  EXPECT_EQ(stored->next_update - stored->this_update, CaSettings{}.root_crl_lifetime);
  const crypto::PrivateKey root_key = ca_->load_root_key(crypto::plaintext_pem_sealer()).value();
  auto first = generate_root_crl(*ca_, root_key, now_, kOneDay);
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  EXPECT_EQ(first->number, 2U);
  write_bytes(path("root-crl.pem"), as_bytes(first->to_pem().value()));
  const auto text = run_command("openssl crl -in " + path("root-crl.pem") + " -CAfile " +
                                root_pem() + " -verify -noout -text");
  EXPECT_EQ(text.exit_status, 0) << text.output;
  EXPECT_TRUE(contains(text.output, "verify OK")) << text.output;
  EXPECT_TRUE(contains(text.output, "No Revoked Certificates")) << text.output;
  // openssl's chain check with CRLs for every level accepts the issuing CA and the signer.
  write_bytes(path("crl.pem"), as_bytes(generate_crl(*ca_, now_, kOneDay)->to_pem().value()));
  const auto chain = run_command("openssl verify -crl_check_all -CAfile " + root_pem() +
                                 " -untrusted " + issuing_pem() + " -CRLfile " + path("crl.pem") +
                                 " -CRLfile " + path("root-crl.pem") + " " + path("good.pem"));
  EXPECT_EQ(chain.exit_status, 0) << chain.output;

  auto reopened = CertificateAuthority::open(dir_ + "/ca", testing::test_urls());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().describe();
  auto renewed = issue_root_crl(*reopened, root_key, now_, kOneDay);
  ASSERT_TRUE(renewed.has_value()) << renewed.error().describe();
  EXPECT_EQ(renewed->number, 3U);
  EXPECT_EQ(read_root_crl(*reopened)->der, renewed->der) << "the stored CRL is the newest";
  EXPECT_EQ(generate_crl(*reopened, now_, kOneDay)->number, 3U);

  // A CA made before root CRLs existed has no root_crl_number yet: its first is number 1.
  std::filesystem::remove(dir_ + "/ca/root_crl_number");
  auto old = CertificateAuthority::open(dir_ + "/ca", testing::test_urls());
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(generate_root_crl(*old, root_key, now_, kOneDay)->number, 1U);
}

TEST_F(CrlOcspTest, OnlyTheRootKeySignsRootCrlsAndAMissingOrDamagedStoredCrlIsAClearError) {
  EXPECT_EQ(generate_root_crl(*ca_, ca_->issuing_key(), now_, kOneDay).error().code,
            ErrorCode::kInvalidArgument);
  std::filesystem::remove(dir_ + "/ca/" + std::string(kRootCrlFile));
  auto missing = read_root_crl(*ca_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(contains(missing.error().message, "pactum ca crl --root")) << missing.error().message;
  write_bytes(dir_ + "/ca/" + std::string(kRootCrlFile), as_bytes("not a CRL"));
  EXPECT_EQ(read_root_crl(*ca_).error().code, ErrorCode::kMalformed);
}

TEST_F(CrlOcspTest, OcspAnswersGoodForAnIssuedCertificateAndOpensslVerifiesIt) {
  const std::string response = answer(make_request(path("good.pem")));
  const auto judged = judge(response, path("good.pem"));
  EXPECT_EQ(judged.exit_status, 0) << judged.output;
  EXPECT_TRUE(contains(judged.output, "Response verify OK")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "good.pem: good")) << judged.output;
}

TEST_F(CrlOcspTest, OcspAnswersRevokedWithTimeAndReason) {
  const std::string response = answer(make_request(path("revoked.pem"), "-sha256"));
  const auto judged = judge(response, path("revoked.pem"), "-sha256");
  EXPECT_TRUE(contains(judged.output, "Response verify OK")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "revoked.pem: revoked")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "Reason: keyCompromise")) << judged.output;

  const auto text = run_command("openssl ocsp -respin " + response + " -noverify -resp_text");
  EXPECT_TRUE(contains(text.output, "Responder Id: ")) << text.output;
  EXPECT_FALSE(contains(text.output, "Responder Id: C =")) << "by key hash, not by name";

  const Bytes der = read_file(response).value();
  const unsigned char* cursor = der.data();
  const UniquePtr<OCSP_RESPONSE> parsed(
      d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(der.size())));
  ASSERT_TRUE(parsed);
  OCSP_BASICRESP* basic = OCSP_response_get1_basic(parsed.get());
  const UniquePtr<OCSP_BASICRESP> owned(basic);
  ASSERT_NE(basic, nullptr);
  OCSP_SINGLERESP* single = OCSP_resp_get0(basic, 0);
  int reason = -1;
  ASN1_GENERALIZEDTIME* revoked_at = nullptr;
  ASN1_GENERALIZEDTIME* this_update = nullptr;
  ASN1_GENERALIZEDTIME* next_update = nullptr;
  EXPECT_EQ(OCSP_single_get0_status(single, &reason, &revoked_at, &this_update, &next_update),
            V_OCSP_CERTSTATUS_REVOKED);
  EXPECT_EQ(reason, OCSP_REVOKED_STATUS_KEYCOMPROMISE);
  const auto seconds = [](auto time) { return std::chrono::system_clock::to_time_t(time); };
  EXPECT_EQ(ASN1_TIME_cmp_time_t(revoked_at, seconds(now_ - std::chrono::minutes(10))), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(this_update, seconds(now_)), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(next_update, seconds(now_ + kOneDay)), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(OCSP_resp_get0_produced_at(basic), seconds(now_)), 0)
      << "producedAt is the injected time, not OpenSSL's clock";
  const ASN1_OCTET_STRING* key_hash = nullptr;
  const X509_NAME* name = nullptr;
  ASSERT_EQ(OCSP_resp_get0_id(basic, &key_hash, &name), 1);
  EXPECT_NE(key_hash, nullptr);
  EXPECT_EQ(name, nullptr);
}

TEST_F(CrlOcspTest, OcspEchoesTheNonceThatOpensslChecks) {
  const std::string request = make_request(path("good.pem"));  // openssl adds a nonce
  const std::string response = answer(request);
  const auto checked = run_command("openssl ocsp -reqin " + request + " -respin " + response +
                                   " -CAfile " + root_pem() + " -resp_text");
  EXPECT_EQ(checked.exit_status, 0) << checked.output;
  EXPECT_TRUE(contains(checked.output, "Response verify OK")) << checked.output;
  EXPECT_TRUE(contains(checked.output, "OCSP Nonce")) << checked.output;
  EXPECT_FALSE(contains(checked.output, "Nonce Verify error")) << checked.output;
  EXPECT_FALSE(contains(checked.output, "WARNING: no nonce")) << checked.output;

  // And a response to a request without a nonce carries none.
  const auto plain =
      run_command("openssl ocsp -respin " + answer(make_request(path("good.pem"), "-no_nonce")) +
                  " -noverify -resp_text");
  EXPECT_FALSE(contains(plain.output, "OCSP Nonce")) << plain.output;
}

TEST_F(CrlOcspTest, OcspAnswersUnknownForASerialWeNeverIssued) {
  const std::string request = path("unknown-request.der");
  const auto made = run_command("openssl ocsp -issuer " + issuing_pem() +
                                " -serial 0x4242424242424242 -reqout " + request);
  ASSERT_EQ(made.exit_status, 0) << made.output;
  const auto judged =
      run_command("openssl ocsp -no_nonce -respin " + answer(request) + " -CAfile " + root_pem() +
                  " -issuer " + issuing_pem() + " -serial 0x4242424242424242");
  EXPECT_TRUE(contains(judged.output, "Response verify OK")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "0x4242424242424242: unknown")) << judged.output;
}

TEST_F(CrlOcspTest, OcspRefusesAsUnauthorizedWhenNoCertIdIsOurs) {
  const auto foreign_root = crypto::make_dev_root(now_ - std::chrono::hours(1)).value();
  const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
  const auto foreign = crypto::issue_dev_signer(foreign_root, key, "Foreign", now_).value();
  write_certificate(path("foreign-root.pem"), foreign_root.certificate);
  write_certificate(path("foreign.pem"), foreign);
  const std::string response =
      answer(make_request(path("foreign.pem"), "", path("foreign-root.pem")));
  const auto judged = run_command("openssl ocsp -respin " + response + " -resp_text -noverify");
  EXPECT_TRUE(contains(judged.output, "unauthorized (6)")) << judged.output;
}

TEST_F(CrlOcspTest, OcspAnswersAForeignCertIdMixedWithOursAsUnknown) {
  const auto foreign_root = crypto::make_dev_root(now_ - std::chrono::hours(1)).value();
  const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
  const auto foreign = crypto::issue_dev_signer(foreign_root, key, "Foreign", now_).value();
  write_certificate(path("foreign-root.pem"), foreign_root.certificate);
  write_certificate(path("foreign.pem"), foreign);
  const std::string response = answer(make_request(
      path("good.pem"), "-issuer " + path("foreign-root.pem") + " -cert " + path("foreign.pem")));
  const auto judged =
      run_command("openssl ocsp -no_nonce -respin " + response + " -CAfile " + root_pem() +
                  " -issuer " + issuing_pem() + " -cert " + path("good.pem") + " -issuer " +
                  path("foreign-root.pem") + " -cert " + path("foreign.pem"));
  EXPECT_TRUE(contains(judged.output, "Response verify OK")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "good.pem: good")) << judged.output;
  EXPECT_TRUE(contains(judged.output, "foreign.pem: unknown")) << judged.output;
}

TEST_F(CrlOcspTest, OcspAnswersMalformedRequestsWithMalformedRequestStatus) {
  const Bytes valid = read_file(make_request(path("good.pem"))).value();
  Bytes truncated(valid.begin(), valid.end() - 3);
  Bytes trailing = valid;
  trailing.push_back(0);
  Bytes huge(kMaxOcspRequestBytes + 1, 0x30);
  for (const auto& [name, request] : {std::pair<const char*, Bytes>{"empty", Bytes{}},
                                      {"garbage", Bytes{'h', 'e', 'l', 'l', 'o'}},
                                      {"truncated", truncated},
                                      {"trailing byte", trailing},
                                      {"too large", huge},
                                      {"certificate instead", good_->der()}}) {
    SCOPED_TRACE(name);
    auto response = respond_ocsp(request, *ca_, now_, kOneDay);
    ASSERT_TRUE(response.has_value()) << response.error().describe();
    const unsigned char* cursor = response->data();
    const UniquePtr<OCSP_RESPONSE> parsed(
        d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(response->size())));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(OCSP_response_status(parsed.get()), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
  }
  write_bytes(path("malformed.der"), respond_ocsp(Bytes{1, 2, 3}, *ca_, now_, kOneDay).value());
  const auto judged =
      run_command("openssl ocsp -respin " + path("malformed.der") + " -resp_text -noverify");
  EXPECT_TRUE(contains(judged.output, "malformedrequest (1)")) << judged.output;
}

// status_for_nonce answers a request for the good certificate carrying a nonce of length bytes.
int status_for_nonce(const Bytes& plain_request, std::size_t length, const CertificateAuthority& ca,
                     std::chrono::system_clock::time_point now) {
  const unsigned char* cursor = plain_request.data();
  const UniquePtr<OCSP_REQUEST> request(
      d2i_OCSP_REQUEST(nullptr, &cursor, static_cast<long>(plain_request.size())));
  Bytes nonce(length, 0xA5);
  EXPECT_EQ(OCSP_request_add1_nonce(request.get(), nonce.data(), static_cast<int>(length)), 1);
  const Bytes der =
      crypto::der_encode([&](unsigned char** out) { return i2d_OCSP_REQUEST(request.get(), out); },
                         "encoding a request")
          .value();
  const Bytes response = respond_ocsp(der, ca, now, kOneDay).value();
  cursor = response.data();
  const UniquePtr<OCSP_RESPONSE> parsed(
      d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(response.size())));
  return parsed ? OCSP_response_status(parsed.get()) : -1;
}

TEST_F(CrlOcspTest, OcspAcceptsNoncesOfUpTo32BytesAndRejectsLongerAsMalformed) {
  const Bytes plain = read_file(make_request(path("good.pem"), "-no_nonce")).value();
  EXPECT_EQ(status_for_nonce(plain, 32, *ca_, now_), OCSP_RESPONSE_STATUS_SUCCESSFUL);
  EXPECT_EQ(status_for_nonce(plain, 33, *ca_, now_), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
}

}  // namespace
}  // namespace pactum::pki

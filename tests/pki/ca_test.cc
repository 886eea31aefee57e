#include "pactum/pki/ca.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "pactum/crypto/x509_builder.h"
#include "pki_test_support.h"

namespace pactum::pki {
namespace {

using testing::fresh_temp_dir;
using testing::judge_now;
using testing::person_request;
using testing::run_command;
using testing::write_certificate;

unsigned int file_mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777U;
}

crypto::PrivateKey fresh_key(crypto::KeyType type = crypto::KeyType::kEcP256) {
  return crypto::PrivateKey::generate(type).value();
}

TEST(CertificateAuthorityTest, CreatesRootAndIssuingCaWithCaProfiles) {
  const std::string dir = fresh_temp_dir();
  const CertificateAuthority ca = testing::make_test_ca(dir + "/ca", judge_now());
  X509* root = ca.root_certificate().native();
  X509* issuing = ca.issuing_certificate().native();

  EXPECT_EQ(ca.root_certificate().subject(), ca.root_certificate().issuer());
  EXPECT_EQ(ca.issuing_certificate().issuer(), ca.root_certificate().subject());
  for (X509* cert : {root, issuing}) {
    EXPECT_EQ(X509_check_ca(cert), 1);
    EXPECT_EQ(X509_get_key_usage(cert), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_NE(X509_get0_subject_key_id(cert), nullptr);
  }
  EXPECT_EQ(X509_get_pathlen(issuing), 0);
  EXPECT_EQ(X509_get_pathlen(root), -1) << "the root sets no path length";
  EXPECT_NE(X509_get0_authority_key_id(issuing), nullptr);
  EXPECT_EQ(
      ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(issuing), X509_get0_subject_key_id(root)),
      0);
  EXPECT_TRUE(ca.issuing_certificate().matches(ca.issuing_key()));

  for (const char* key : {"root.key.pem", "issuing.key.pem"}) {
    EXPECT_EQ(file_mode(dir + "/ca/" + key), 0600U) << key;
  }

  // Independent judge: openssl accepts the issuing CA under the root and shows the profile.
  const auto verified = run_command("openssl verify -CAfile " + dir + "/ca/root.cert.pem " + dir +
                                    "/ca/issuing.cert.pem");
  EXPECT_EQ(verified.exit_status, 0) << verified.output;
  const auto text = run_command("openssl x509 -noout -text -in " + dir + "/ca/issuing.cert.pem");
  EXPECT_NE(text.output.find("X509v3 Basic Constraints: critical\n                CA:TRUE, "
                             "pathlen:0"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("X509v3 Key Usage: critical\n                Certificate Sign, "
                             "CRL Sign"),
            std::string::npos)
      << text.output;
  // Its own revocation source and issuer address: the root's CRL and certificate.
  EXPECT_NE(text.output.find("URI:" + ca.urls().root_crl_url), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("CA Issuers - URI:" + ca.urls().root_ca_issuers_url),
            std::string::npos)
      << text.output;
  EXPECT_EQ(text.output.find("OCSP - URI"), std::string::npos) << text.output;
  const auto root_text = run_command("openssl x509 -noout -text -in " + dir + "/ca/root.cert.pem");
  EXPECT_EQ(root_text.output.find("CRL Distribution Points"), std::string::npos)
      << root_text.output;
}

TEST(CertificateAuthorityTest, IssuesPersonCertificateThatOpensslVerifiesWithTheFullProfile) {
  const std::string dir = fresh_temp_dir();
  const auto now = judge_now();
  CertificateAuthority ca = testing::make_test_ca(dir + "/ca", now);
  auto cert = ca.issue(person_request(fresh_key(), now), now);
  ASSERT_TRUE(cert.has_value()) << cert.error().describe();
  write_certificate(dir + "/person.pem", *cert);

  const auto verified =
      run_command("openssl verify -CAfile " + dir + "/ca/root.cert.pem -untrusted " + dir +
                  "/ca/issuing.cert.pem " + dir + "/person.pem");
  EXPECT_EQ(verified.exit_status, 0) << verified.output;
  EXPECT_NE(verified.output.find(": OK"), std::string::npos) << verified.output;

  const std::string text =
      run_command("openssl x509 -noout -text -nameopt utf8,sep_comma_plus_space -in " + dir +
                  "/person.pem")
          .output;
  for (const std::string& expected : {
           std::string("Subject: C=CN, CN=张三, serialNumber=110101199003071234"),
           std::string("X509v3 Key Usage: critical\n                Digital Signature, "
                       "Non Repudiation"),
           std::string("X509v3 Basic Constraints: critical\n                CA:FALSE"),
           std::string("X509v3 CRL Distribution Points: \n                Full Name:\n"
                       "                  URI:http://pki.pactum.test/pki/crl"),
           std::string("OCSP - URI:http://pki.pactum.test/pki/ocsp"),
           std::string("CA Issuers - URI:http://pki.pactum.test/pki/issuing-ca.cer"),
           std::string("Policy: 1.3.6.1.4.1.55555.1.1"),
           std::string("X509v3 Subject Key Identifier"),
           std::string("X509v3 Authority Key Identifier"),
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("Extended Key Usage"), std::string::npos);

  EXPECT_EQ(cert->not_before(), now - std::chrono::hours(1));
  EXPECT_EQ(cert->not_after(), now + std::chrono::days(365));
  EXPECT_EQ(ca.status_of(cert->serial_hex()), CertificateStatus::kGood);
  EXPECT_EQ(ca.issued_certificate(cert->serial_hex())->der(), cert->der());
}

TEST(CertificateAuthorityTest, IssuesEnterpriseCertificateForAnRsaKey) {
  const std::string dir = fresh_temp_dir();
  const auto now = judge_now();
  CertificateAuthority ca = testing::make_test_ca(dir + "/ca", now);
  IssueRequest request = person_request(fresh_key(crypto::KeyType::kRsa), now);
  request.subject = SubjectName{"示例科技有限公司", "示例科技有限公司", "91110000MA01ABCD1X", "CN"};
  auto cert = ca.issue(request, now);
  ASSERT_TRUE(cert.has_value()) << cert.error().describe();
  EXPECT_EQ(cert->subject(),
            "serialNumber=91110000MA01ABCD1X,CN=示例科技有限公司,O=示例科技有限公司,C=CN");
}

TEST(CertificateAuthorityTest, RefusesBadRequestsWithoutRecordingThem) {
  const std::string dir = fresh_temp_dir();
  const auto now = judge_now();
  CertificateAuthority ca = testing::make_test_ca(dir + "/ca", now);
  const IssueRequest good = person_request(fresh_key(), now);

  auto expect_refused = [&](IssueRequest request, ErrorCode code, const char* what) {
    auto cert = ca.issue(request, now);
    ASSERT_FALSE(cert.has_value()) << what;
    EXPECT_EQ(cert.error().code, code) << what << ": " << cert.error().describe();
  };
  IssueRequest request = good;
  request.subject.common_name.clear();
  expect_refused(request, ErrorCode::kInvalidArgument, "empty common name");
  request = good;
  request.subject.common_name = std::string(65, 'a');
  expect_refused(request, ErrorCode::kInvalidArgument, "long common name");
  request = good;
  request.subject.country = "China";
  expect_refused(request, ErrorCode::kInvalidArgument, "country");
  request = good;
  request.subject.serial_number = "12_34";
  expect_refused(request, ErrorCode::kInvalidArgument, "serialNumber not printable");
  request = good;
  request.subject.common_name = "a\nb";
  expect_refused(request, ErrorCode::kInvalidArgument, "control character");
  request = good;
  request.not_after = request.not_before;
  expect_refused(request, ErrorCode::kInvalidArgument, "empty validity");
  request = good;
  request.not_after = now + std::chrono::days(365 * 11);
  expect_refused(request, ErrorCode::kInvalidArgument, "validity beyond the issuing CA");
  request = good;
  request.subject_public_key_info = {0x30, 0x03, 0x02, 0x01, 0x01};
  expect_refused(request, ErrorCode::kMalformed, "garbage key");
  request = good;
  request.subject_public_key_info.push_back(0);
  expect_refused(request, ErrorCode::kMalformed, "trailing byte after the key");
  request = good;
  request.subject_public_key_info.clear();
  expect_refused(request, ErrorCode::kMalformed, "no key");

  EXPECT_EQ(ca.issued_count(), 0U);
}

TEST(CertificateAuthorityTest, RevokesOnlyIssuedCertificatesOnce) {
  const std::string dir = fresh_temp_dir();
  const auto now = judge_now();
  CertificateAuthority ca = testing::make_test_ca(dir + "/ca", now);
  auto cert = ca.issue(person_request(fresh_key(), now), now);
  ASSERT_TRUE(cert.has_value());
  const std::string serial = cert->serial_hex();

  const auto unknown = ca.revoke("0123456789abcdef", RevocationReason::kKeyCompromise, now);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(ca.revoke(serial, RevocationReason::kKeyCompromise, now).has_value());
  EXPECT_EQ(ca.status_of(serial), CertificateStatus::kRevoked);
  const auto again = ca.revoke(serial, RevocationReason::kSuperseded, now);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kRefused);
  ASSERT_EQ(ca.revoked_certificates().size(), 1U);
  EXPECT_EQ(ca.revoked_certificates().front().revocation->reason, RevocationReason::kKeyCompromise);
}

TEST(CertificateAuthorityTest, ReopenedCaKnowsEveryAcknowledgedIssueAndRevocation) {
  const std::string dir = fresh_temp_dir() + "/ca";
  const auto now = judge_now();
  std::string good_serial;
  std::string revoked_serial;
  {
    CertificateAuthority ca = testing::make_test_ca(dir, now);
    good_serial = ca.issue(person_request(fresh_key(), now), now).value().serial_hex();
    revoked_serial = ca.issue(person_request(fresh_key(), now), now).value().serial_hex();
    ASSERT_TRUE(ca.revoke(revoked_serial, RevocationReason::kCessationOfOperation,
                          now + std::chrono::minutes(5))
                    .has_value());
    EXPECT_EQ(ca.reserve_crl_number().value(), 1U);
  }
  auto reopened = CertificateAuthority::open(dir, testing::test_urls());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().describe();
  EXPECT_EQ(reopened->issued_count(), 2U);
  EXPECT_EQ(reopened->status_of(good_serial), CertificateStatus::kGood);
  EXPECT_EQ(reopened->status_of(revoked_serial), CertificateStatus::kRevoked);
  EXPECT_EQ(reopened->status_of("00ff"), CertificateStatus::kUnknown);
  const IssuedCertificate* record = reopened->find(revoked_serial);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->issued_at, now);
  EXPECT_EQ(record->revocation->revoked_at, now + std::chrono::minutes(5));
  EXPECT_EQ(record->revocation->reason, RevocationReason::kCessationOfOperation);
  EXPECT_EQ(reopened->reserve_crl_number().value(), 2U);
  EXPECT_TRUE(reopened->issued_certificate(good_serial).has_value());

  // A stray temporary file, as a crash during a write leaves behind, changes nothing.
  std::ofstream(dir + "/index.txt.tmp-crash") << "issued ffff 1 2\n";
  EXPECT_EQ(CertificateAuthority::open(dir, testing::test_urls())->issued_count(), 2U);
}

TEST(CertificateAuthorityTest, RefusesToCreateOverAnExistingCaOrOpenADamagedOne) {
  const std::string dir = fresh_temp_dir() + "/ca";
  const auto now = judge_now();
  static_cast<void>(testing::make_test_ca(dir, now));
  auto second = CertificateAuthority::create(dir, CaSettings{}, testing::test_urls(), now);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kInvalidArgument);

  std::ofstream(dir + "/index.txt", std::ios::app) << "revoked 0a0b 1700000000 1\n";
  auto damaged = CertificateAuthority::open(dir, testing::test_urls());
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(damaged.error().offset, std::optional<std::uint64_t>(18)) << "line after the header";

  std::filesystem::remove(dir + "/issuing.key.pem");
  EXPECT_EQ(CertificateAuthority::open(dir, testing::test_urls()).error().code,
            ErrorCode::kNotFound);
}

TEST(CertificateAuthorityTest, CreateReplacesTheLeftoversOfACreateThatDiedBeforeTheIndex) {
  const std::string dir = fresh_temp_dir() + "/ca";
  const auto now = judge_now();
  const std::string old_root = testing::make_test_ca(dir, now).root_certificate().serial_hex();
  std::filesystem::remove(dir + "/index.txt");  // as if killed just before writing it
  EXPECT_FALSE(CertificateAuthority::open(dir, testing::test_urls()).has_value());
  auto again = CertificateAuthority::create(dir, CaSettings{}, testing::test_urls(), now);
  ASSERT_TRUE(again.has_value()) << again.error().describe();
  EXPECT_NE(again->root_certificate().serial_hex(), old_root);
  EXPECT_TRUE(CertificateAuthority::open(dir, testing::test_urls()).has_value());
}

TEST(CertificateAuthorityTest, SerialsArePositiveRandomAndNeverRepeat) {
  std::set<Bytes> seen;
  for (int i = 0; i < 20000; ++i) {
    const Bytes serial = crypto::random_serial().value();
    ASSERT_EQ(serial.size(), 16U);
    ASSERT_EQ(serial.front() & 0xC0U, 0x40U) << "positive, no leading zero byte";
    ASSERT_TRUE(seen.insert(serial).second) << "repeated serial";
  }

  const std::string dir = fresh_temp_dir() + "/ca";
  const auto now = judge_now();
  CertificateAuthority ca = testing::make_test_ca(dir, now);
  const IssueRequest request = person_request(fresh_key(), now);
  std::set<std::string> serials;
  constexpr std::size_t kIssues = 60;
  for (std::size_t i = 0; i < kIssues; ++i) {
    auto cert = ca.issue(request, now);
    ASSERT_TRUE(cert.has_value());
    ASSERT_EQ(cert->serial_hex().size(), 32U);
    serials.insert(cert->serial_hex());
  }
  EXPECT_EQ(serials.size(), kIssues);
  EXPECT_EQ(CertificateAuthority::open(dir, testing::test_urls())->issued_count(), kIssues);
}

TEST(PkiUrlsTest, DerivesEndpointsAndRefusesUrlsThatWouldBreakExtensionSyntax) {
  const auto urls = PkiUrls::from_base_url("https://ca.example.cn/");
  ASSERT_TRUE(urls.has_value());
  EXPECT_EQ(urls->ocsp_url, "https://ca.example.cn/pki/ocsp");
  EXPECT_EQ(urls->crl_url, "https://ca.example.cn/pki/crl");
  EXPECT_EQ(urls->ca_issuers_url, "https://ca.example.cn/pki/issuing-ca.cer");
  EXPECT_EQ(urls->root_crl_url, "https://ca.example.cn/pki/root-crl");
  EXPECT_EQ(urls->root_ca_issuers_url, "https://ca.example.cn/pki/root-ca.cer");
  for (const char* bad : {"", "ftp://x", "http://", "http://a,b", "http://a;b", "http://a b",
                          "http://user@host", "https://x/\x01"}) {
    EXPECT_FALSE(PkiUrls::from_base_url(bad).has_value()) << bad;
  }
}

TEST(RevocationReasonTest, CodesAndNamesFollowRfc5280) {
  EXPECT_EQ(revocation_reason_from_code(1).value(), RevocationReason::kKeyCompromise);
  EXPECT_EQ(revocation_reason_from_code(10).value(), RevocationReason::kAaCompromise);
  for (int code : {-1, 6, 7, 8, 11}) {
    EXPECT_FALSE(revocation_reason_from_code(code).has_value()) << code;
  }
  EXPECT_EQ(parse_revocation_reason("cACompromise").value(), RevocationReason::kCaCompromise);
  EXPECT_EQ(revocation_reason_name(RevocationReason::kPrivilegeWithdrawn), "privilegeWithdrawn");
  EXPECT_FALSE(parse_revocation_reason("certificateHold").has_value());
}

}  // namespace
}  // namespace pactum::pki

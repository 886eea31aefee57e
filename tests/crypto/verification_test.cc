// The verification helpers the validator relies on, on certificates and CMS made here: which
// certificates may sign documents, the ESS signingCertificateV2 binding, and splitting an Adobe
// revocationInfoArchival attribute.

#include <gtest/gtest.h>

#include <chrono>

#include "pactum/crypto/cms_signer.h"
#include "pactum/crypto/cms_verifier.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/revocation_check.h"

namespace pactum::crypto {
namespace {

struct Material {
  DevAuthority root;
  PrivateKey key;
  Certificate signer;
  Certificate other;  // same key, another certificate
};

Material material() {
  const auto now = std::chrono::system_clock::now();
  DevAuthority root = make_dev_root(now).value();
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256).value();
  Certificate signer = issue_dev_signer(root, key, "Signer A", now).value();
  Certificate other = issue_dev_signer(root, key, "Signer B", now).value();
  return {std::move(root), std::move(key), std::move(signer), std::move(other)};
}

TEST(VerificationTest, OnlyCertificatesForDocumentSigningPassTheKeyUsageCheck) {
  const Material m = material();
  EXPECT_TRUE(check_signing_key_usage(m.signer));
  // The root's keyUsage is keyCertSign + cRLSign: it may certify, not sign documents.
  auto root = check_signing_key_usage(m.root.certificate);
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().message.find("keyUsage"), std::string::npos) << root.error().message;
}

TEST(VerificationTest, SigningCertificateV2NamesTheSignerAndNoOtherCertificate) {
  const Material m = material();
  const Bytes digest(32, 0x11);
  PadesSignRequest request;
  request.key = &m.key;
  request.certificate = &m.signer;
  request.message_digest = digest;
  const Bytes der = build_pades_cms(request).value();
  auto cms = CmsSignature::parse(der);
  ASSERT_TRUE(cms);
  EXPECT_EQ(cms->signing_certificate_binding(m.signer), CmsSignature::EssBinding::kMatches);
  // The same key certified again: the signature verifies with it, the ESS hash does not.
  std::string detail;
  EXPECT_TRUE(cms->verify_signed_attributes(m.other, detail)) << detail;
  EXPECT_EQ(cms->signing_certificate_binding(m.other), CmsSignature::EssBinding::kMismatch);
  EXPECT_TRUE(cms->signature_timestamp_tokens().empty());
  EXPECT_FALSE(cms->signature_value().empty());
}

TEST(VerificationTest, RevocationInfoArchivalIsSplitIntoCrlsAndOcspResponses) {
  // SEQUENCE { [0] { SEQUENCE OF { crl1, crl2 } }, [1] { SEQUENCE OF { ocsp } } }, with tiny
  // stand-in SEQUENCEs: splitting does not judge them.
  const Bytes der = {0x30, 0x12,                                      // RevocationInfoArchival
                     0xA0, 0x08, 0x30, 0x06, 0x30, 0x01, 0x01, 0x30, 0x01, 0x02,  // crls
                     0xA1, 0x06, 0x30, 0x04, 0x30, 0x02, 0x05, 0x00};             // ocsps
  auto split = split_revocation_archival(der);
  ASSERT_TRUE(split) << split.error().describe();
  ASSERT_EQ(split->crls.size(), 2U);
  ASSERT_EQ(split->ocsps.size(), 1U);
  EXPECT_EQ(split->crls[1], (Bytes{0x30, 0x01, 0x02}));
  EXPECT_EQ(split->ocsps[0], (Bytes{0x30, 0x02, 0x05, 0x00}));
  Bytes truncated = der;
  truncated.pop_back();
  EXPECT_FALSE(split_revocation_archival(truncated));
  EXPECT_FALSE(split_revocation_archival(Bytes{0x04, 0x00}));
}

TEST(VerificationTest, GarbageIsNeitherAnOcspResponseNorACrl) {
  const Material m = material();
  const Bytes junk = {0x30, 0x03, 0x02, 0x01, 0x00};
  auto ocsp = check_ocsp_response(junk, m.signer, m.root.certificate, {});
  ASSERT_FALSE(ocsp);
  EXPECT_EQ(ocsp.error().code, ErrorCode::kMalformed);
  auto crl = check_crl(junk, m.signer, m.root.certificate);
  ASSERT_FALSE(crl);
  EXPECT_EQ(crl.error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace pactum::crypto

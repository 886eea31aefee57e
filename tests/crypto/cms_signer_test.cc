#include "pactum/crypto/cms_signer.h"

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "crypto_test_support.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kContent = "%PDF-1.7 pretend these are the signed byte ranges\n";

struct Signer {
  PrivateKey key;
  Certificate certificate;
};

enum class SignerKind : std::uint8_t { kRsa2048, kRsa3072, kP256, kP384 };

std::string kind_name(SignerKind kind) {
  switch (kind) {
    case SignerKind::kRsa2048:
      return "Rsa2048";
    case SignerKind::kRsa3072:
      return "Rsa3072";
    case SignerKind::kP256:
      return "P256";
    case SignerKind::kP384:
      return "P384";
  }
  return "?";
}

UniquePtr<CMS_ContentInfo> parse_cms(ByteView der) {
  const unsigned char* cursor = der.data();
  UniquePtr<CMS_ContentInfo> cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  EXPECT_EQ(cursor, der.data() + der.size()) << "trailing bytes after the CMS";
  return cms;
}

CMS_SignerInfo* only_signer(CMS_ContentInfo* cms) {
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
  EXPECT_EQ(sk_CMS_SignerInfo_num(infos), 1);
  return sk_CMS_SignerInfo_value(infos, 0);
}

// cms_verifies runs OpenSSL's CMS verification of a detached signature over content, trusting
// only root.
bool cms_verifies(ByteView der, std::string_view content, const Certificate& root,
                  unsigned int extra_flags = 0) {
  const UniquePtr<CMS_ContentInfo> cms = parse_cms(der);
  const UniquePtr<X509_STORE> store(X509_STORE_new());
  auto bio = memory_bio(as_bytes(content));
  if (!cms || !store || !bio || X509_STORE_add_cert(store.get(), root.native()) != 1) {
    ADD_FAILURE() << "test setup failed";
    return false;
  }
  const int ok = CMS_verify(cms.get(), nullptr, store.get(), bio->get(), nullptr,
                            CMS_DETACHED | CMS_BINARY | extra_flags);
  if (ok != 1) {
    std::cout << "(CMS_verify said: " << openssl_error("CMS_verify").message << ")\n";
  }
  return ok == 1;
}

class CmsSignerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto now = system_clock::now();
    auto root = make_dev_root(now);
    ASSERT_TRUE(root.has_value()) << root.error().message;
    root_ = std::move(*root);
    const std::tuple<SignerKind, KeyType, int> specs[] = {
        {SignerKind::kRsa2048, KeyType::kRsa, 2048},
        {SignerKind::kRsa3072, KeyType::kRsa, 3072},
        {SignerKind::kP256, KeyType::kEcP256, 0},
        {SignerKind::kP384, KeyType::kEcP384, 0}};
    for (const auto& [kind, type, bits] : specs) {
      auto key =
          type == KeyType::kRsa ? PrivateKey::generate(type, bits) : PrivateKey::generate(type);
      ASSERT_TRUE(key.has_value()) << key.error().message;
      auto cert = issue_dev_signer(*root_, *key, "Test Signer " + kind_name(kind), now);
      ASSERT_TRUE(cert.has_value()) << cert.error().message;
      signers_.emplace(kind, Signer{std::move(*key), std::move(*cert)});
    }
  }
  // Release the OpenSSL objects before OpenSSL's own exit-time cleanup runs.
  static void TearDownTestSuite() {
    signers_.clear();
    root_.reset();
  }

  static const Signer& signer(SignerKind kind) { return signers_.at(kind); }

  static Result<Bytes> sign(const Signer& s, DigestAlgorithm digest, std::string_view content,
                            std::span<const Certificate> chain = {}) {
    const Bytes message_digest = digest_of(digest, as_bytes(content));
    PadesSignRequest request;
    request.key = &s.key;
    request.certificate = &s.certificate;
    request.chain = chain;
    request.digest = digest;
    request.message_digest = message_digest;
    return build_pades_cms(request);
  }

  static inline std::optional<DevAuthority> root_;
  static inline std::map<SignerKind, Signer> signers_;
};

class CmsSignerMatrixTest
    : public CmsSignerTest,
      public ::testing::WithParamInterface<std::tuple<SignerKind, DigestAlgorithm>> {};

TEST_P(CmsSignerMatrixTest, BuildsAVerifiableDetachedCadesSignature) {
  const auto [kind, digest] = GetParam();
  const Signer& s = signer(kind);
  auto der = sign(s, digest, kContent);
  ASSERT_TRUE(der.has_value()) << der.error().message;

  EXPECT_TRUE(cms_verifies(*der, kContent, root_->certificate));
  EXPECT_TRUE(cms_verifies(*der, kContent, root_->certificate, CMS_CADES))
      << "signingCertificateV2 does not match the signer certificate";
  EXPECT_FALSE(cms_verifies(*der, "other content", root_->certificate));

  const UniquePtr<CMS_ContentInfo> cms = parse_cms(*der);
  ASSERT_TRUE(cms);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_type(cms.get())), NID_pkcs7_signed);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_eContentType(cms.get())), NID_pkcs7_data);
  EXPECT_EQ(CMS_is_detached(cms.get()), 1);

  CMS_SignerInfo* si = only_signer(cms.get());
  ASSERT_NE(si, nullptr);

  // Identified by issuer and serial number (SignerInfo version 1), not by key identifier.
  ASN1_OCTET_STRING* key_id = nullptr;
  X509_NAME* issuer = nullptr;
  ASN1_INTEGER* serial = nullptr;
  ASSERT_EQ(CMS_SignerInfo_get0_signer_id(si, &key_id, &issuer, &serial), 1);
  EXPECT_EQ(key_id, nullptr);
  EXPECT_NE(issuer, nullptr);
  EXPECT_EQ(CMS_SignerInfo_cert_cmp(si, s.certificate.native()), 0);

  X509_ALGOR* digest_alg = nullptr;
  X509_ALGOR* signature_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, &signature_alg);
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, digest_alg);
  EXPECT_EQ(OBJ_obj2nid(object), digest == DigestAlgorithm::kSha384 ? NID_sha384 : NID_sha256);
  X509_ALGOR_get0(&object, nullptr, nullptr, signature_alg);
  const bool rsa = kind == SignerKind::kRsa2048 || kind == SignerKind::kRsa3072;
  const int expected_signature = rsa                                  ? NID_rsaEncryption
                                 : digest == DigestAlgorithm::kSha384 ? NID_ecdsa_with_SHA384
                                                                      : NID_ecdsa_with_SHA256;
  EXPECT_EQ(OBJ_obj2nid(object), expected_signature);

  // Exactly contentType, messageDigest and signingCertificateV2; no signingTime, no
  // SMIMECapabilities, no unsigned attributes.
  std::multiset<int> nids;
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    nids.insert(OBJ_obj2nid(X509_ATTRIBUTE_get0_object(CMS_signed_get_attr(si, i))));
  }
  EXPECT_EQ(nids, (std::multiset<int>{NID_pkcs9_contentType, NID_pkcs9_messageDigest,
                                      NID_id_smime_aa_signingCertificateV2}));
  EXPECT_LE(CMS_unsigned_get_attr_count(si), 0);

  const auto* message_digest = static_cast<const ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
  ASSERT_NE(message_digest, nullptr);
  const Bytes expected_digest = digest_of(digest, as_bytes(kContent));
  EXPECT_EQ(Bytes(ASN1_STRING_get0_data(message_digest),
                  ASN1_STRING_get0_data(message_digest) + ASN1_STRING_length(message_digest)),
            expected_digest);
}

// The openssl command line, a separate code path from the library calls above, agrees.
TEST_P(CmsSignerMatrixTest, OpensslCommandLineVerifies) {
  const auto [kind, digest] = GetParam();
  auto der = sign(signer(kind), digest, kContent);
  ASSERT_TRUE(der.has_value()) << der.error().message;
  const std::string dir = testing::fresh_temp_dir();
  testing::write_bytes(dir + "/sig.der", *der);
  testing::write_bytes(dir + "/content.bin", as_bytes(kContent));
  testing::write_bytes(dir + "/other.bin", as_bytes("other content"));
  testing::write_bytes(dir + "/root.pem", as_bytes(root_->certificate.to_pem().value()));
  const std::string verify = "openssl cms -verify -binary -inform DER -cades -in '" + dir +
                             "/sig.der' -CAfile '" + dir + "/root.pem' -out /dev/null -content '" +
                             dir;
  EXPECT_EQ(testing::run_quiet(verify + "/content.bin'"), 0);
  EXPECT_NE(testing::run_quiet(verify + "/other.bin'"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    KeysAndDigests, CmsSignerMatrixTest,
    ::testing::Combine(::testing::Values(SignerKind::kRsa2048, SignerKind::kRsa3072,
                                         SignerKind::kP256, SignerKind::kP384),
                       ::testing::Values(DigestAlgorithm::kSha256, DigestAlgorithm::kSha384)),
    [](const auto& test_param) {
      return kind_name(std::get<0>(test_param.param)) + "_" +
             std::string(digest_name(std::get<1>(test_param.param)));
    });

// certificates is a SET OF, which DER (and OpenSSL's encoder) sorts by encoding, so only the
// membership is fixed, not the order given.
TEST_F(CmsSignerTest, EmbedsSignerCertificateAndChainWithoutDuplicates) {
  const Signer& s = signer(SignerKind::kP256);
  const Certificate chain[] = {s.certificate, root_->certificate, root_->certificate};
  auto der = sign(s, DigestAlgorithm::kSha256, kContent, chain);
  ASSERT_TRUE(der.has_value()) << der.error().message;
  const UniquePtr<CMS_ContentInfo> cms = parse_cms(*der);
  ASSERT_TRUE(cms);
  const UniquePtr<STACK_OF(X509)> certs(CMS_get1_certs(cms.get()));
  ASSERT_EQ(sk_X509_num(certs.get()), 2);
  std::set<Bytes> embedded;
  for (int i = 0; i < sk_X509_num(certs.get()); ++i) {
    embedded.insert(
        der_encode(
            [&](unsigned char** out) { return i2d_X509(sk_X509_value(certs.get(), i), out); },
            "encoding")
            .value());
  }
  EXPECT_EQ(embedded, (std::set<Bytes>{s.certificate.der(), root_->certificate.der()}));
  EXPECT_TRUE(cms_verifies(*der, kContent, root_->certificate));
}

TEST_F(CmsSignerTest, WrongMessageDigestFailsVerification) {
  const Signer& s = signer(SignerKind::kRsa2048);
  auto der = sign(s, DigestAlgorithm::kSha256, "not the content that gets verified");
  ASSERT_TRUE(der.has_value());
  EXPECT_FALSE(cms_verifies(*der, kContent, root_->certificate));
}

TEST_F(CmsSignerTest, RefusesAKeyThatDoesNotMatchTheCertificate) {
  const Bytes message_digest = digest_of(DigestAlgorithm::kSha256, as_bytes(kContent));
  PadesSignRequest request;
  request.key = &signer(SignerKind::kP256).key;
  request.certificate = &signer(SignerKind::kRsa2048).certificate;
  request.message_digest = message_digest;
  auto der = build_pades_cms(request);
  ASSERT_FALSE(der.has_value());
  EXPECT_EQ(der.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(der.error().message, "the private key does not belong to the certificate");
}

TEST_F(CmsSignerTest, RefusesADigestOfTheWrongSizeOrMissingInputs) {
  const Signer& s = signer(SignerKind::kP384);
  const Bytes sha256 = digest_of(DigestAlgorithm::kSha256, as_bytes(kContent));
  PadesSignRequest request;
  request.key = &s.key;
  request.certificate = &s.certificate;
  request.digest = DigestAlgorithm::kSha384;
  request.message_digest = sha256;
  auto der = build_pades_cms(request);
  ASSERT_FALSE(der.has_value());
  EXPECT_EQ(der.error().code, ErrorCode::kInvalidArgument);

  request.key = nullptr;
  EXPECT_EQ(build_pades_cms(request).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace pactum::crypto

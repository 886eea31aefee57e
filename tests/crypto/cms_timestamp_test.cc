// build_pades_cms with a SignatureTimestamper (PAdES B-T): the token lands as the one unsigned
// attribute, over the hash of the signature value, and nothing else about the signature changes.
#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/objects.h>

#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "cms_test_support.h"
#include "pactum/crypto/cms_signer.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/timestamper.h"

namespace pactum::crypto {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kContent = "%PDF-1.7 the signed byte ranges of a B-T signature\n";

// FakeTimestamper answers with a CMS SignedData of eContentType id-smime-ct-TSTInfo whose content
// is the imprint itself (not a real TSTInfo: crypto only checks the envelope), signed by the dev
// root, and remembers what it was asked. Its answer can be spoilt to test the checks.
class FakeTimestamper final : public SignatureTimestamper {
 public:
  enum class Answer : std::uint8_t { kToken, kTrailingByte, kNotTstInfo, kGarbage, kError };

  FakeTimestamper(const DevAuthority& tsa, Answer answer) : tsa_(tsa), answer_(answer) {}

  Result<Bytes> timestamp(DigestAlgorithm algorithm, ByteView digest) const override {
    asked_algorithm = algorithm;
    asked_digest.assign(digest.begin(), digest.end());
    if (answer_ == Answer::kError) {
      return fail(ErrorCode::kIo, "the TSA is unreachable");
    }
    if (answer_ == Answer::kGarbage) {
      return Bytes{0x30, 0x03, 0x02, 0x01, 0x07};
    }
    constexpr unsigned int kFlags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    const UniquePtr<CMS_ContentInfo> cms(
        CMS_sign(tsa_.certificate.native(), tsa_.key.native(), nullptr, nullptr, kFlags));
    const int content_type =
        answer_ == Answer::kNotTstInfo ? NID_pkcs7_data : NID_id_smime_ct_TSTInfo;
    auto bio = memory_bio(digest);
    if (!cms || !bio || CMS_set1_eContentType(cms.get(), OBJ_nid2obj(content_type)) != 1 ||
        CMS_final(cms.get(), bio->get(), nullptr, CMS_BINARY) != 1) {
      return openssl_fail("making the fake token");
    }
    auto token = der_encode([&](unsigned char** p) { return i2d_CMS_ContentInfo(cms.get(), p); },
                            "encoding the fake token");
    if (token && answer_ == Answer::kTrailingByte) {
      token->push_back(0x00);
    }
    if (token) {
      last_token = *token;
    }
    return token;
  }

  std::size_t max_token_size() const override { return 2048; }

  mutable std::optional<DigestAlgorithm> asked_algorithm;
  mutable Bytes asked_digest;
  mutable Bytes last_token;

 private:
  const DevAuthority& tsa_;
  Answer answer_;
};

class CmsTimestampTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto now = system_clock::now();
    root_.emplace(make_dev_root(now).value());
    for (const KeyType type : {KeyType::kRsa, KeyType::kEcP384}) {
      auto key = PrivateKey::generate(type).value();
      auto cert = issue_dev_signer(*root_, key, "B-T Signer", now).value();
      signers_.emplace(type, DevAuthority{std::move(key), std::move(cert)});
    }
  }
  static void TearDownTestSuite() {
    signers_.clear();
    root_.reset();
  }

  static Result<Bytes> sign(KeyType type, DigestAlgorithm digest,
                            const SignatureTimestamper* timestamper) {
    const DevAuthority& s = signers_.at(type);
    const Bytes message_digest = digest_of(digest, as_bytes(kContent));
    return build_pades_cms({.key = &s.key,
                            .certificate = &s.certificate,
                            .chain = {},
                            .digest = digest,
                            .message_digest = message_digest,
                            .timestamper = timestamper});
  }

  static bool verifies(ByteView der) {
    const unsigned char* cursor = der.data();
    const UniquePtr<CMS_ContentInfo> cms(
        d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
    const UniquePtr<X509_STORE> store(X509_STORE_new());
    auto content = memory_bio(as_bytes(kContent));
    if (!cms || !store || !content ||
        X509_STORE_add_cert(store.get(), root_->certificate.native()) != 1) {
      return false;
    }
    return CMS_verify(cms.get(), nullptr, store.get(), content->get(), nullptr,
                      CMS_DETACHED | CMS_BINARY) == 1;
  }

  static inline std::optional<DevAuthority> root_;
  static inline std::map<KeyType, DevAuthority> signers_;
};

TEST_F(CmsTimestampTest, TokenIsTheOneUnsignedAttributeOverTheSignatureValue) {
  for (const auto& [type, digest] : {std::pair{KeyType::kRsa, DigestAlgorithm::kSha256},
                                     std::pair{KeyType::kEcP384, DigestAlgorithm::kSha384}}) {
    const FakeTimestamper tsa(*root_, FakeTimestamper::Answer::kToken);
    auto der = sign(type, digest, &tsa);
    ASSERT_TRUE(der.has_value()) << der.error().describe();
    auto contents = testing::read_signer_info(*der);
    ASSERT_TRUE(contents.has_value());

    ASSERT_EQ(contents->unsigned_attributes.size(), 1U);
    const auto& attribute = contents->unsigned_attributes.front();
    EXPECT_EQ(attribute.nid, NID_id_smime_aa_timeStampToken);
    EXPECT_STREQ(OBJ_nid2ln(attribute.nid), "id-smime-aa-timeStampToken");
    ASSERT_EQ(attribute.values.size(), 1U);
    EXPECT_EQ(attribute.values.front(), tsa.last_token);  // the token, byte for byte

    EXPECT_EQ(tsa.asked_algorithm, digest);
    EXPECT_EQ(tsa.asked_digest, digest_of(digest, contents->signature_value));
    EXPECT_EQ(contents->reencoded, *der) << "the CMS does not re-encode to the same DER";
    EXPECT_TRUE(verifies(*der));
  }
}

TEST_F(CmsTimestampTest, SignedAttributesAreTheSameAsWithoutATimestamp) {
  const FakeTimestamper tsa(*root_, FakeTimestamper::Answer::kToken);
  auto with =
      testing::read_signer_info(sign(KeyType::kRsa, DigestAlgorithm::kSha256, &tsa).value());
  auto without =
      testing::read_signer_info(sign(KeyType::kRsa, DigestAlgorithm::kSha256, nullptr).value());
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->signed_nids, without->signed_nids);
  EXPECT_EQ(with->signed_nids.size(), 3U);
  for (const int nid : with->signed_nids) {
    EXPECT_NE(nid, NID_pkcs9_signingTime);
  }
  EXPECT_TRUE(without->unsigned_attributes.empty());
  // RSA PKCS#1 v1.5 is deterministic: the same signed attributes give the same signature.
  EXPECT_EQ(with->signature_value, without->signature_value);
}

TEST_F(CmsTimestampTest, ABadAnswerOrAFailureOfTheTimestamperFailsTheSignature) {
  using Answer = FakeTimestamper::Answer;
  for (const auto& [answer, code] : {std::pair{Answer::kTrailingByte, ErrorCode::kMalformed},
                                     std::pair{Answer::kNotTstInfo, ErrorCode::kMalformed},
                                     std::pair{Answer::kGarbage, ErrorCode::kMalformed},
                                     std::pair{Answer::kError, ErrorCode::kIo}}) {
    const FakeTimestamper tsa(*root_, answer);
    auto der = sign(KeyType::kEcP384, DigestAlgorithm::kSha384, &tsa);
    ASSERT_FALSE(der.has_value()) << static_cast<int>(answer);
    EXPECT_EQ(der.error().code, code) << der.error().describe();
  }
}

}  // namespace
}  // namespace pactum::crypto

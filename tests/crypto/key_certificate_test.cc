#include <cctype>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <optional>
#include <string>

#include "pactum/crypto/certificate.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

using std::chrono::system_clock;

std::string pem_of(EVP_PKEY* key) {
  auto bio = new_memory_bio();
  EXPECT_TRUE(bio.has_value());
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio->get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  return bio_contents(bio->get()).value();
}

std::string encrypted_pkcs8_pem(const PrivateKey& key) {
  auto bio = new_memory_bio();
  EXPECT_TRUE(bio.has_value());
  char password[] = "secret";
  EXPECT_EQ(PEM_write_bio_PKCS8PrivateKey(bio->get(), key.native(), EVP_aes_256_cbc(), password, 6,
                                          nullptr, nullptr),
            1);
  return bio_contents(bio->get()).value();
}

std::string encrypted_traditional_pem(const PrivateKey& key) {
  auto bio = new_memory_bio();
  EXPECT_TRUE(bio.has_value());
  unsigned char password[] = "secret";
  EXPECT_EQ(PEM_write_bio_PrivateKey_traditional(bio->get(), key.native(), EVP_aes_256_cbc(),
                                                 password, 6, nullptr, nullptr),
            1);
  return bio_contents(bio->get()).value();
}

bool verifies(const PrivateKey& key, DigestAlgorithm digest, ByteView message, ByteView signature) {
  UniquePtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(context.get(), nullptr, native_digest(digest), nullptr,
                              key.native()) == 1 &&
         EVP_DigestVerify(context.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

TEST(DigestTest, KnownVectors) {
  EXPECT_EQ(to_hex(digest_of(DigestAlgorithm::kSha256, as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(digest_of(DigestAlgorithm::kSha384, as_bytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
}

TEST(DigestTest, IncrementalEqualsOneShot) {
  Digest digest(DigestAlgorithm::kSha384);
  digest.update(as_bytes("hello "));
  Digest moved = std::move(digest);
  moved.update(as_bytes("world"));
  EXPECT_EQ(moved.finish(), digest_of(DigestAlgorithm::kSha384, as_bytes("hello world")));
}

TEST(DigestTest, NamesAndSizes) {
  EXPECT_EQ(parse_digest_name("SHA-384").value(), DigestAlgorithm::kSha384);
  EXPECT_EQ(parse_digest_name("sha256").value(), DigestAlgorithm::kSha256);
  EXPECT_EQ(parse_digest_name("md5").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(digest_name(DigestAlgorithm::kSha384), "sha384");
  EXPECT_EQ(digest_size(DigestAlgorithm::kSha256), 32U);
  EXPECT_EQ(digest_size(DigestAlgorithm::kSha384), 48U);
}

TEST(OpensslErrorTest, DrainsTheQueueIntoTheMessage) {
  auto bio = memory_bio(as_bytes("not a certificate"));
  ASSERT_TRUE(bio.has_value());
  EXPECT_EQ(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr), nullptr);
  const Error error = openssl_error("reading a test certificate");
  EXPECT_EQ(error.code, ErrorCode::kCrypto);
  EXPECT_TRUE(error.message.starts_with("reading a test certificate failed: ")) << error.message;
  EXPECT_NE(error.message.find("no start line"), std::string::npos) << error.message;
  EXPECT_EQ(openssl_error("nothing").message, "nothing failed: no detail from OpenSSL");
}

struct KeyCase {
  KeyType type;
  int bits;
  const char* description;
  DigestAlgorithm default_digest;
};

class KeyTypeTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(KeyTypeTest, GeneratesSignsAndRoundTripsThroughPem) {
  const KeyCase& c = GetParam();
  auto key = PrivateKey::generate(c.type, c.bits);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->type(), c.type);
  EXPECT_EQ(key->bits(), c.bits);
  EXPECT_EQ(key_description(key->type(), key->bits()), c.description);
  EXPECT_EQ(key->default_digest(), c.default_digest);

  auto pem = key->to_pem();
  ASSERT_TRUE(pem.has_value());
  EXPECT_TRUE(pem->starts_with("-----BEGIN PRIVATE KEY-----")) << *pem;
  auto again = PrivateKey::from_pem(as_bytes(*pem));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->type(), c.type);
  EXPECT_EQ(EVP_PKEY_eq(again->native(), key->native()), 1);

  // The traditional (non-PKCS#8) form is accepted too.
  auto traditional = PrivateKey::from_pem(as_bytes(pem_of(key->native())));
  ASSERT_TRUE(traditional.has_value()) << traditional.error().message;

  for (DigestAlgorithm digest : {DigestAlgorithm::kSha256, DigestAlgorithm::kSha384}) {
    auto signature = key->sign(digest, as_bytes("message"));
    ASSERT_TRUE(signature.has_value()) << signature.error().message;
    EXPECT_TRUE(verifies(*again, digest, as_bytes("message"), *signature));
    EXPECT_FALSE(verifies(*again, digest, as_bytes("massage"), *signature));
  }
  clear_openssl_errors();
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, KeyTypeTest,
    ::testing::Values(KeyCase{KeyType::kRsa, 2048, "RSA-2048", DigestAlgorithm::kSha256},
                      KeyCase{KeyType::kEcP256, 256, "ECDSA P-256", DigestAlgorithm::kSha256},
                      KeyCase{KeyType::kEcP384, 384, "ECDSA P-384", DigestAlgorithm::kSha384}),
    [](const auto& test_param) {
      // Test names may hold only letters, digits and underscores.
      std::string name = test_param.param.description;
      for (char& c : name) {
        c = std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
      }
      return name;
    });

TEST(PrivateKeyTest, RejectsEncryptedKeysWithAClearMessage) {
  auto key = PrivateKey::generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  for (const std::string& pem : {encrypted_pkcs8_pem(*key), encrypted_traditional_pem(*key)}) {
    auto parsed = PrivateKey::from_pem(as_bytes(pem));
    ASSERT_FALSE(parsed.has_value()) << pem;
    EXPECT_EQ(parsed.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(parsed.error().message.find("encrypted private keys are not supported"),
              std::string::npos)
        << parsed.error().message;
  }
}

TEST(PrivateKeyTest, RejectsWeakOrUnsupportedKeys) {
  const UniquePtr<EVP_PKEY> rsa1024(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024)));
  const UniquePtr<EVP_PKEY> k256(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  const UniquePtr<EVP_PKEY> p521(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521"));
  const UniquePtr<EVP_PKEY> ed25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  for (EVP_PKEY* key : {rsa1024.get(), k256.get(), p521.get(), ed25519.get()}) {
    ASSERT_NE(key, nullptr);
    auto parsed = PrivateKey::from_pem(as_bytes(pem_of(key)));
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, ErrorCode::kUnsupported) << parsed.error().message;
  }
  auto small = PrivateKey::generate(KeyType::kRsa, 1024);
  ASSERT_FALSE(small.has_value());
  EXPECT_EQ(small.error().code, ErrorCode::kInvalidArgument);
}

TEST(PrivateKeyTest, RejectsGarbage) {
  for (std::string_view text : {"", "hello", "-----BEGIN PRIVATE KEY-----\nAAAA\n"}) {
    auto parsed = PrivateKey::from_pem(as_bytes(text));
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed) << parsed.error().message;
  }
}

class CertificateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto root = make_dev_root(system_clock::now());
    ASSERT_TRUE(root.has_value()) << root.error().message;
    auto key = PrivateKey::generate(KeyType::kEcP256);
    ASSERT_TRUE(key.has_value());
    auto cert = issue_dev_signer(*root, *key, "Zoë Signer", system_clock::now());
    ASSERT_TRUE(cert.has_value()) << cert.error().message;
    root_ = std::move(*root);
    signer_key_ = std::move(*key);
    signer_ = std::move(*cert);
  }
  // Release the OpenSSL objects before OpenSSL's own exit-time cleanup runs.
  static void TearDownTestSuite() {
    root_.reset();
    signer_key_.reset();
    signer_.reset();
  }
  static inline std::optional<DevAuthority> root_;
  static inline std::optional<PrivateKey> signer_key_;
  static inline std::optional<Certificate> signer_;
};

TEST_F(CertificateTest, DescribesItself) {
  EXPECT_EQ(signer_->subject_common_name(), "Zoë Signer");
  EXPECT_NE(signer_->subject().find("CN=Zoë Signer"), std::string::npos) << signer_->subject();
  EXPECT_NE(signer_->issuer().find("CN=Pactum Dev Root CA"), std::string::npos);
  EXPECT_EQ(signer_->serial_hex().size(), 32U) << signer_->serial_hex();
  EXPECT_NE(signer_->serial_hex(), root_->certificate.serial_hex());
  EXPECT_TRUE(signer_->matches(*signer_key_));
  EXPECT_FALSE(signer_->matches(root_->key));
  EXPECT_TRUE(root_->certificate.matches(root_->key));
}

TEST_F(CertificateTest, RoundTripsThroughDerAndPem) {
  const Bytes der = signer_->der();
  ASSERT_FALSE(der.empty());
  auto from_der = Certificate::from_der(der);
  ASSERT_TRUE(from_der.has_value());
  EXPECT_EQ(from_der->der(), der);

  auto pem = signer_->to_pem();
  ASSERT_TRUE(pem.has_value());
  auto from_pem = Certificate::from_pem(as_bytes(*pem));
  ASSERT_TRUE(from_pem.has_value());
  EXPECT_EQ(from_pem->der(), der);
}

TEST_F(CertificateTest, RejectsTrailingBytesAndGarbage) {
  Bytes der = signer_->der();
  der.push_back(0);
  auto trailing = Certificate::from_der(der);
  ASSERT_FALSE(trailing.has_value());
  EXPECT_EQ(trailing.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(trailing.error().offset, der.size() - 1);

  der.resize(der.size() - 10);
  EXPECT_EQ(Certificate::from_der(der).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(Certificate::from_pem(as_bytes("junk")).error().code, ErrorCode::kMalformed);
}

TEST_F(CertificateTest, ReadsEveryCertificateOfABundle) {
  const std::string bundle = signer_->to_pem().value() + signer_key_->to_pem().value() +
                             root_->certificate.to_pem().value();
  auto all = Certificate::all_from_pem(as_bytes(bundle));
  ASSERT_TRUE(all.has_value()) << all.error().message;
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ(all->at(0).der(), signer_->der());
  EXPECT_EQ(all->at(1).der(), root_->certificate.der());

  // from_pem takes the first.
  EXPECT_EQ(Certificate::from_pem(as_bytes(bundle)).value().der(), signer_->der());

  EXPECT_EQ(Certificate::all_from_pem(as_bytes("")).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(Certificate::all_from_pem(as_bytes(signer_key_->to_pem().value())).error().code,
            ErrorCode::kMalformed);
  const std::string damaged =
      signer_->to_pem().value() + "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(Certificate::all_from_pem(as_bytes(damaged)).error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace pactum::crypto

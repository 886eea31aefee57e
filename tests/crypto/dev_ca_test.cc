#include "pactum/crypto/dev_ca.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdint>
#include <string>

#include "crypto_test_support.h"
#include "pactum/base/atomic_file.h"
#include "pactum/crypto/cms_signer.h"

namespace pactum::crypto {
namespace {

Certificate load_certificate(const std::string& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes.has_value()) << path;
  auto cert = Certificate::from_pem(bytes.value_or(Bytes{}));
  EXPECT_TRUE(cert.has_value()) << path;
  return std::move(cert.value());
}

PrivateKey load_key(const std::string& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes.has_value()) << path;
  auto key = PrivateKey::from_pem(bytes.value_or(Bytes{}));
  EXPECT_TRUE(key.has_value()) << path;
  return std::move(key.value());
}

unsigned int file_mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777U;
}

TEST(DevCaTest, WritesARootAndTwoSignersThatChainToIt) {
  const std::string dir = testing::fresh_temp_dir() + "/nested/ca";
  ASSERT_TRUE(write_dev_ca(dir).has_value());

  for (const char* name : {"root.key.pem", "rsa.key.pem", "ec.key.pem"}) {
    EXPECT_EQ(file_mode(dir + "/" + name), 0600U) << name;
  }
  for (const char* name : {"root.pem", "rsa.cert.pem", "ec.cert.pem"}) {
    EXPECT_EQ(file_mode(dir + "/" + name), 0644U) << name;
  }

  const Certificate root = load_certificate(dir + "/root.pem");
  const PrivateKey root_key = load_key(dir + "/root.key.pem");
  EXPECT_TRUE(root.matches(root_key));
  EXPECT_EQ(root.subject(), root.issuer());
  EXPECT_EQ(X509_check_ca(root.native()), 1);
  EXPECT_EQ(X509_get_key_usage(root.native()),
            static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_NE(X509_get0_subject_key_id(root.native()), nullptr);

  struct Expected {
    const char* stem;
    KeyType type;
    int bits;
    const char* common_name;
  };
  for (const Expected& e : {Expected{"rsa", KeyType::kRsa, 2048, "Pactum Dev Signer (RSA)"},
                            Expected{"ec", KeyType::kEcP256, 256, "Pactum Dev Signer (ECDSA)"}}) {
    SCOPED_TRACE(e.stem);
    const std::string cert_path = dir + "/" + e.stem + ".cert.pem";
    const Certificate cert = load_certificate(cert_path);
    const PrivateKey key = load_key(dir + "/" + e.stem + ".key.pem");
    EXPECT_EQ(key.type(), e.type);
    EXPECT_EQ(key.bits(), e.bits);
    EXPECT_TRUE(cert.matches(key));
    EXPECT_EQ(cert.subject_common_name(), e.common_name);
    EXPECT_EQ(cert.issuer(), root.subject());
    EXPECT_EQ(cert.serial_hex().size(), 32U);
    EXPECT_EQ(X509_check_ca(cert.native()), 0);
    EXPECT_EQ(X509_get_key_usage(cert.native()),
              static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
    EXPECT_EQ(X509_get_extended_key_usage(cert.native()), UINT32_MAX) << "no EKU expected";
    EXPECT_NE(X509_get0_subject_key_id(cert.native()), nullptr);
    EXPECT_NE(X509_get0_authority_key_id(cert.native()), nullptr);
    EXPECT_EQ(
        testing::run_quiet("openssl verify -CAfile '" + dir + "/root.pem' '" + cert_path + "'"), 0);
    EXPECT_EQ(testing::run_quiet("openssl verify -purpose smimesign -CAfile '" + dir +
                                 "/root.pem' '" + cert_path + "'"),
              0);
  }
}

TEST(DevCaTest, OverwritesAnExistingCaWithFreshKeys) {
  const std::string dir = testing::fresh_temp_dir();
  ASSERT_TRUE(write_dev_ca(dir).has_value());
  const std::string first = load_certificate(dir + "/root.pem").serial_hex();
  ASSERT_TRUE(write_dev_ca(dir).has_value());
  EXPECT_NE(load_certificate(dir + "/root.pem").serial_hex(), first);
  EXPECT_EQ(
      testing::run_quiet("openssl verify -CAfile '" + dir + "/root.pem' '" + dir + "/ec.cert.pem'"),
      0);
}

TEST(DevCaTest, FailsWithIoWhenTheDirectoryCannotBeCreated) {
  const std::string dir = testing::fresh_temp_dir();
  testing::write_bytes(dir + "/file", as_bytes("x"));
  auto status = write_dev_ca(dir + "/file/ca");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
}

// End to end: a signature made with the files on disk verifies with the openssl command line
// against root.pem alone.
TEST(DevCaTest, SignerFilesProduceSignaturesThatVerify) {
  const std::string dir = testing::fresh_temp_dir();
  ASSERT_TRUE(write_dev_ca(dir).has_value());
  const std::string content = "signed byte ranges";
  testing::write_bytes(dir + "/content.bin", as_bytes(content));
  for (const char* stem : {"rsa", "ec"}) {
    SCOPED_TRACE(stem);
    const PrivateKey key = load_key(dir + "/" + stem + ".key.pem");
    const Certificate cert = load_certificate(dir + "/" + stem + ".cert.pem");
    const Bytes message_digest = digest_of(DigestAlgorithm::kSha256, as_bytes(content));
    PadesSignRequest request;
    request.key = &key;
    request.certificate = &cert;
    request.message_digest = message_digest;
    auto der = build_pades_cms(request);
    ASSERT_TRUE(der.has_value()) << der.error().message;
    testing::write_bytes(dir + "/sig.der", *der);
    EXPECT_EQ(testing::run_quiet("openssl cms -verify -binary -inform DER -cades -in '" + dir +
                                 "/sig.der' -content '" + dir + "/content.bin' -CAfile '" + dir +
                                 "/root.pem' -out /dev/null"),
              0);
  }
}

}  // namespace
}  // namespace pactum::crypto

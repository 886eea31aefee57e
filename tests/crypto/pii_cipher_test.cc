#include "pactum/crypto/pii_cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "crypto_test_support.h"

namespace pactum::crypto {
namespace {

class PiiCipherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir();
    auto ring = Keyring::create(dir_ + "/master.key");
    ASSERT_TRUE(ring) << ring.error().message;
    ring_ = std::make_unique<Keyring>(std::move(*ring));
    auto cipher = PiiCipher::create(*ring_);
    ASSERT_TRUE(cipher) << cipher.error().message;
    cipher_ = std::make_unique<PiiCipher>(std::move(*cipher));
  }

  std::string dir_;
  std::unique_ptr<Keyring> ring_;
  std::unique_ptr<PiiCipher> cipher_;
};

TEST_F(PiiCipherTest, RoundTrips) {
  for (std::string_view value : {"", "1", "110101199003074477", "张三", "+86 138 0013 8000",
                                 "a much longer value that spans several SM4 blocks of input"}) {
    auto sealed = cipher_->encrypt(value, "user.id_number");
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ((*sealed)[0], kPiiFormatV1);
    if (value.size() >= 6) {  // shorter ones could turn up by chance, e.g. in the key id
      EXPECT_EQ(as_chars(*sealed).find(value), std::string_view::npos);
    }
    auto opened = cipher_->decrypt(*sealed, "user.id_number");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, value);
  }
  // A random IV each time: equal values do not give equal ciphertexts.
  EXPECT_NE(*cipher_->encrypt("same", "c"), *cipher_->encrypt("same", "c"));
}

TEST_F(PiiCipherTest, EveryFlippedByteAndOtherContextFail) {
  const Bytes sealed = *cipher_->encrypt("110101199003074477", "user.id_number");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (const int bit : {0x01, 0x80}) {
      Bytes altered = sealed;
      altered[i] = static_cast<std::uint8_t>(altered[i] ^ bit);
      auto opened = cipher_->decrypt(altered, "user.id_number");
      ASSERT_FALSE(opened) << "byte " << i;
    }
  }
  EXPECT_EQ(cipher_->decrypt(sealed, "user.phone").error().code, ErrorCode::kCrypto);
  EXPECT_EQ(cipher_->decrypt(ByteView(sealed).first(sealed.size() - 1), "user.id_number")
                .error()
                .code,
            ErrorCode::kCrypto);
  EXPECT_EQ(cipher_->decrypt(ByteView(sealed).first(10), "user.id_number").error().code,
            ErrorCode::kMalformed);
}

TEST_F(PiiCipherTest, BlindIndexIsDeterministicNormalisedAndKeyed) {
  auto a = cipher_->blind_index("phone", "138 0013-8000");
  auto b = cipher_->blind_index("phone", " 13800138000 ");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->size(), 64U);
  EXPECT_NE(*a, *cipher_->blind_index("phone", "13800138001"));
  // The kind separates indexes: the same digits as another kind of value differ.
  EXPECT_NE(*a, *cipher_->blind_index("id_number", "13800138000"));
  EXPECT_EQ(*cipher_->blind_index("email", "Alice@Example.com"),
            *cipher_->blind_index("email", "alice@example.com"));
  // Keyed: another data directory's master key gives another index.
  auto other_ring = Keyring::create(dir_ + "/other.key");
  ASSERT_TRUE(other_ring);
  auto other = PiiCipher::create(*other_ring);
  ASSERT_TRUE(other);
  EXPECT_NE(*a, *other->blind_index("phone", "13800138000"));
  // And it is not simply the hash of the value.
  EXPECT_EQ(a->find("13800138000"), std::string::npos);
}

TEST_F(PiiCipherTest, RotationKeepsOldValuesReadableAndIndexesFindable) {
  const Bytes old_sealed = *cipher_->encrypt("13800138000", "user.phone");
  const std::string old_index = *cipher_->blind_index("phone", "13800138000");
  ASSERT_TRUE(ring_->rotate());
  auto rotated = PiiCipher::create(*ring_);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(*rotated->decrypt(old_sealed, "user.phone"), "13800138000");
  auto candidates = rotated->blind_index_candidates("phone", "13800138000");
  ASSERT_TRUE(candidates);
  ASSERT_EQ(candidates->size(), 2U);
  EXPECT_EQ((*candidates)[0], *rotated->blind_index("phone", "13800138000"));
  EXPECT_EQ((*candidates)[1], old_index);
  auto resealed = rotated->reencrypt(old_sealed, "user.phone");
  ASSERT_TRUE(resealed);
  EXPECT_NE(as_chars(*resealed).find(ring_->current_id()), std::string_view::npos);
  EXPECT_EQ(*rotated->decrypt(*resealed, "user.phone"), "13800138000");
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The openssl command line, an independent implementation, derives the same keys with HKDF-SM3,
// checks the HMAC-SM3 and decrypts the SM4-CTR body: the format is what the header says.
TEST_F(PiiCipherTest, OpensslCommandLineAgrees) {
  const std::string value = "110101199003074477";
  const std::string context = "user.id_number";
  const Bytes sealed = *cipher_->encrypt(value, context);
  const std::string master_hex = to_hex(ring_->current().bytes);
  auto derive = [&](std::string_view label, int length) {
    auto out = pactum::testing::run_command(
        "openssl kdf -keylen " + std::to_string(length) +
        " -kdfopt digest:SM3 -kdfopt hexkey:" + master_hex + " -kdfopt 'info:" +
        std::string(label) + "' HKDF");
    EXPECT_EQ(out.exit_status, 0) << out.output;
    std::string hex;
    for (char c : out.output) {
      if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
        hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return hex;
  };
  const std::string enc_key = derive("pactum pii sm4-ctr v1", 16);
  const std::string mac_key = derive("pactum pii hmac-sm3 v1", 32);

  const std::size_t id_size = sealed[1];
  const ByteView iv = ByteView(sealed).subspan(2 + id_size, 16);
  const ByteView body = ByteView(sealed).subspan(2 + id_size + 16, sealed.size() - 2 - id_size - 48);
  const ByteView mac = ByteView(sealed).last(32);

  Bytes mac_input(sealed.begin(), sealed.end() - 32);
  for (int shift = 56; shift >= 0; shift -= 8) {
    mac_input.push_back(static_cast<std::uint8_t>(context.size() >> static_cast<unsigned>(shift)));
  }
  append_text(mac_input, context);
  const std::string mac_file = dir_ + "/mac_input";
  testing::write_bytes(mac_file, mac_input);
  auto hmac = pactum::testing::run_command("openssl mac -digest SM3 -macopt hexkey:" + mac_key +
                                           " -in " + mac_file + " HMAC");
  ASSERT_EQ(hmac.exit_status, 0) << hmac.output;
  EXPECT_NE(hmac.output.find(upper(to_hex(mac))), std::string::npos) << hmac.output;

  const std::string body_file = dir_ + "/body";
  testing::write_bytes(body_file, body);
  auto plain = pactum::testing::run_command("openssl enc -d -sm4-ctr -K " + enc_key + " -iv " +
                                            to_hex(iv) + " -in " + body_file);
  ASSERT_EQ(plain.exit_status, 0) << plain.output;
  EXPECT_EQ(plain.output, value);
}

}  // namespace
}  // namespace pactum::crypto

#include "pactum/crypto/keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto_test_support.h"
#include "pactum/base/atomic_file.h"
#include "pactum/crypto/master_key_sealer.h"

namespace pactum::crypto {
namespace {

unsigned mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 0777U;
}

TEST(Keyring, CreateWritesAPrivateFileThatLoadsBack) {
  const std::string path = testing::fresh_temp_dir() + "/master.key";
  auto created = Keyring::create(path);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(mode_of(path), 0600U);
  auto loaded = Keyring::load(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->current_id(), created->current_id());
  EXPECT_EQ(loaded->current().bytes, created->current().bytes);
  EXPECT_EQ(created->current_id().size(), 19U);
  // A master key is never silently replaced.
  EXPECT_EQ(Keyring::create(path).error().code, ErrorCode::kConflict);
  auto again = Keyring::load_or_create(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->current_id(), created->current_id());
}

TEST(Keyring, RefusesLooseModesAndMalformedFiles) {
  const std::string dir = testing::fresh_temp_dir();
  EXPECT_EQ(Keyring::load(dir + "/none").error().code, ErrorCode::kNotFound);
  const std::string path = dir + "/master.key";
  ASSERT_TRUE(Keyring::create(path));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_EQ(Keyring::load(path).error().code, ErrorCode::kRefused);

  const std::string bad = dir + "/bad.key";
  for (std::string_view text :
       {"not a keyring\n", "pactum-keyring v1\nkey mk-0011223344556677 abcd\ncurrent mk-0011223344556677\n",
        "pactum-keyring v1\nkey mk-0011223344556677 "
        "00000000000000000000000000000000000000000000000000000000000000000\n",
        "pactum-keyring v1\ncurrent mk-0011223344556677\n",
        "pactum-keyring v1\nkey ../../etc 0000000000000000000000000000000000000000000000000000000000000000\n"}) {
    ASSERT_TRUE(write_file_atomically(bad, as_bytes(text), 0600));
    auto loaded = Keyring::load(bad);
    ASSERT_FALSE(loaded) << text;
    EXPECT_EQ(loaded.error().code, ErrorCode::kMalformed) << text;
  }
}

TEST(Keyring, WrapIsBoundToContextAndKey) {
  const std::string dir = testing::fresh_temp_dir();
  auto ring = Keyring::create(dir + "/a.key");
  auto other = Keyring::create(dir + "/b.key");
  ASSERT_TRUE(ring && other);
  const Bytes secret(32, 0x42);
  auto wrapped = ring->wrap(secret, "blob:1");
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped->key_id, ring->current_id());
  EXPECT_EQ(*ring->unwrap(*wrapped, "blob:1"), secret);
  EXPECT_EQ(ring->unwrap(*wrapped, "blob:2").error().code, ErrorCode::kCrypto);
  EXPECT_EQ(other->unwrap(*wrapped, "blob:1").error().code, ErrorCode::kNotFound);
  WrappedKey relabeled = *wrapped;
  relabeled.key_id = other->current_id();
  EXPECT_EQ(other->unwrap(relabeled, "blob:1").error().code, ErrorCode::kCrypto);
}

TEST(Keyring, RotateKeepsOldKeysUntilRetired) {
  const std::string path = testing::fresh_temp_dir() + "/master.key";
  auto ring = Keyring::create(path);
  ASSERT_TRUE(ring);
  const std::string first = ring->current_id();
  auto old_wrapped = ring->wrap(as_bytes("old secret"), "x");
  ASSERT_TRUE(old_wrapped);

  auto second = ring->rotate();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(*second, first);
  EXPECT_EQ(ring->current_id(), *second);
  EXPECT_EQ(mode_of(path), 0600U);

  auto reloaded = Keyring::load(path);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->current_id(), *second);
  EXPECT_EQ(reloaded->ids(), (std::vector<std::string>{first, *second}));
  EXPECT_EQ(as_chars(*reloaded->unwrap(*old_wrapped, "x")), "old secret");

  EXPECT_EQ(reloaded->retire(*second).error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(reloaded->retire(first));
  EXPECT_EQ(reloaded->retire(first).error().code, ErrorCode::kNotFound);
  auto after = Keyring::load(path);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->ids(), std::vector<std::string>{*second});
  EXPECT_EQ(after->unwrap(*old_wrapped, "x").error().code, ErrorCode::kNotFound);
}

TEST(MasterKeySealer, SealsPrivateKeysUnderTheMasterKey) {
  const std::string dir = testing::fresh_temp_dir();
  auto ring = Keyring::create(dir + "/master.key");
  ASSERT_TRUE(ring);
  const MasterKeySealer sealer(*ring);
  EXPECT_EQ(sealer.kind(), "aes-256-gcm");
  auto key = PrivateKey::generate(KeyType::kEcP256);
  ASSERT_TRUE(key) << key.error().message;
  const std::string path = dir + "/issuing.sealed";
  ASSERT_TRUE(write_sealed_key(path, *key, sealer, "pki/issuing"));
  auto stored = read_file(path);
  ASSERT_TRUE(stored);
  EXPECT_EQ(as_chars(*stored).find("PRIVATE KEY"), std::string_view::npos);
  EXPECT_EQ(mode_of(path), 0600U);

  auto back = read_sealed_key(path, sealer, "pki/issuing");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back->to_pem(), *key->to_pem());
  EXPECT_FALSE(read_sealed_key(path, sealer, "pki/tsa"));  // another label
  EXPECT_EQ(sealer.open(as_bytes("-----BEGIN PRIVATE KEY-----"), "pki/issuing").error().code,
            ErrorCode::kMalformed);
  Bytes altered = *stored;
  altered.back() ^= 1;
  EXPECT_EQ(sealer.open(altered, "pki/issuing").error().code, ErrorCode::kCrypto);

  // After a rotation the old sealed key still opens; resealed, it is under the new key.
  ASSERT_TRUE(ring->rotate());
  auto opened = sealer.open(*stored, "pki/issuing");
  ASSERT_TRUE(opened);
  auto resealed = sealer.seal(*opened, "pki/issuing");
  ASSERT_TRUE(resealed);
  EXPECT_NE(as_chars(*resealed).find(ring->current_id()), std::string_view::npos);
}

}  // namespace
}  // namespace pactum::crypto

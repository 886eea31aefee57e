#include "pactum/domain/password_hasher.h"

#include <gtest/gtest.h>

namespace pactum::domain {
namespace {

// Cheap parameters keep the suite fast; the production defaults are exercised once below.
constexpr Argon2Parameters kCheap{.memory_kib = 1024, .iterations = 1, .parallelism = 1};

TEST(PasswordHasher, HashVerifiesAndCarriesItsParameters) {
  const PasswordHasher hasher(kCheap);
  auto hash = hasher.hash("correct horse battery");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=1024,t=1,p=1$")) << *hash;
  EXPECT_TRUE(hasher.verify(*hash, "correct horse battery"));
  EXPECT_FALSE(hasher.verify(*hash, "correct horse batterY"));
  EXPECT_FALSE(hasher.verify(*hash, ""));
}

TEST(PasswordHasher, SaltsDiffer) {
  const PasswordHasher hasher(kCheap);
  auto a = hasher.hash("same password");
  auto b = hasher.hash("same password");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasher, MalformedHashNeverVerifies) {
  const PasswordHasher hasher(kCheap);
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("$argon2id$v=19$m=1024,t=1,p=1$", "x"));
  EXPECT_FALSE(hasher.verify(std::string("$argon2id\0$", 11), "x"));
  EXPECT_FALSE(hasher.verify("plaintext-password", "plaintext-password"));
}

TEST(PasswordHasher, RehashWhenParametersChange) {
  const PasswordHasher cheap(kCheap);
  const PasswordHasher stronger({.memory_kib = 2048, .iterations = 1, .parallelism = 1});
  auto hash = cheap.hash("rotate me please");
  ASSERT_TRUE(hash);
  EXPECT_FALSE(cheap.needs_rehash(*hash));
  EXPECT_TRUE(stronger.needs_rehash(*hash));
  // The old hash still verifies under the new hasher: parameters come from the encoding.
  EXPECT_TRUE(stronger.verify(*hash, "rotate me please"));
  EXPECT_TRUE(cheap.needs_rehash("$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"));
  EXPECT_TRUE(cheap.needs_rehash("garbage"));
}

TEST(PasswordHasher, DefaultParametersWork) {
  const PasswordHasher hasher;
  auto hash = hasher.hash("default parameters");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_TRUE(hasher.verify(*hash, "default parameters"));
}

TEST(PasswordPolicy, Bounds) {
  EXPECT_FALSE(check_password_policy("short"));
  EXPECT_TRUE(check_password_policy("eight ch"));
  EXPECT_TRUE(check_password_policy(std::string(kMaxPasswordLength, 'a')));
  auto too_long = check_password_policy(std::string(kMaxPasswordLength + 1, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, DomainErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace pactum::domain

#include "pactum/domain/login_identifier.h"

#include <gtest/gtest.h>

namespace pactum::domain {
namespace {

std::string normalised(std::string_view text) {
  auto id = normalise_login(text);
  return id ? id->value : "<" + id.error().message + ">";
}

TEST(LoginIdentifier, EmailIsTrimmedAndLowerCased) {
  auto id = normalise_login("  Alice.Smith+x@Example.COM \n");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->kind, LoginKind::kEmail);
  EXPECT_EQ(id->value, "alice.smith+x@example.com");
}

TEST(LoginIdentifier, PhoneBecomesE164) {
  auto id = normalise_login("138 0013-8000");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->kind, LoginKind::kPhone);
  EXPECT_EQ(id->value, "+8613800138000");
  EXPECT_EQ(normalised("+86 (138) 0013 8000"), "+8613800138000");
  EXPECT_EQ(normalised("+44 20 7946 0958"), "+442079460958");
}

TEST(LoginIdentifier, RejectsWhatIsNeither) {
  for (const char* bad : {"", "   ", "a@b", "@example.com", "a@@example.com", "a@.com",
                          "a@example.", "x'; DROP TABLE users;--@example.com", "12345",
                          "+12", "+1234567890123456", "+86 138 0013 800a", "0013800138000",
                          "alice"}) {
    auto id = normalise_login(bad);
    EXPECT_FALSE(id) << bad;
    if (!id) {
      EXPECT_EQ(id.error().code, DomainErrorCode::kInvalidInput);
    }
  }
}

}  // namespace
}  // namespace pactum::domain

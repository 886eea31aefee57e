#include "pactum/domain/accounts.h"

#include <gtest/gtest.h>

#include "domain_fixture.h"
#include "pactum/domain/secret_token.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;
using std::chrono::minutes;

class AccountsTest : public DomainTest {};

TEST_P(AccountsTest, SignUpLogInAuthenticateLogOut) {
  auto made = domain::sign_up(services(), {" Alice@Example.com", "Alice 张", "correct horse 1", {}},
                              origin_);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->login, "alice@example.com");
  EXPECT_EQ(made->name, "Alice 张");

  auto grant = domain::log_in(services(), "ALICE@example.com", "correct horse 1", origin_);
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user.id, made->id);
  EXPECT_EQ(grant->token.size(), 64U);
  EXPECT_NE(grant->token, grant->csrf_token);

  auto session = domain::authenticate_session(services(), grant->token);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->actor.id, made->id);
  EXPECT_TRUE(domain::csrf_matches(*session, grant->csrf_token));
  EXPECT_FALSE(domain::csrf_matches(*session, grant->token));
  EXPECT_FALSE(domain::csrf_matches(*session, ""));

  auto me = domain::get_me(services(), session->actor);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->first.login, "alice@example.com");
  EXPECT_TRUE(me->second.empty());

  ASSERT_TRUE(domain::log_out(services(), grant->token, origin_));
  expect_refused(domain::authenticate_session(services(), grant->token),
                 DomainErrorCode::kUnauthenticated, "after log-out");
}

TEST_P(AccountsTest, TokensAreStoredOnlyAsDigests) {
  user("bob@example.com");
  auto grant = domain::log_in(services(), "bob@example.com", "password-123", origin_);
  ASSERT_TRUE(grant);
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  auto row = (*lease)->query_one("SELECT token_hash, csrf_hash FROM sessions");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0).value(), domain::token_digest(grant->token));
  EXPECT_NE(row->text(0).value(), grant->token);
  EXPECT_NE(row->text(1).value(), grant->csrf_token);
}

TEST_P(AccountsTest, DuplicateLoginIsAConflictWhateverItsSpelling) {
  user("+8613800138000");
  expect_refused(domain::sign_up(services(), {"138 0013 8000", "Other", "password-456", {}},
                                 origin_),
                 DomainErrorCode::kConflict);
  EXPECT_EQ(count("users"), 1);
}

TEST_P(AccountsTest, BadSignUpInputIsRefusedAndStoresNothing) {
  for (const domain::NewUser& bad : std::vector<domain::NewUser>{
           {"not-a-login", "Name", "password-123", {}},
           {"a@example.com", "", "password-123", {}},
           {"a@example.com", "Name", "short", {}},
           {"a@example.com", std::string("bad\x01name"), "password-123", {}},
           {"a@example.com", std::string("\xff\xfe"), "password-123", {}},
           {"a@example.com", "Name", "password-123", std::string(100, '1')},
       }) {
    expect_refused(domain::sign_up(services(), bad, origin_), DomainErrorCode::kInvalidInput,
                   bad.login.c_str());
  }
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("audit_log"), 0);
}

TEST_P(AccountsTest, SqlMetacharactersAreJustText) {
  const std::string name = "Robert'); DROP TABLE users;-- \"x\" \\ %_";
  auto made = domain::sign_up(services(), {"o'brien+x@example.com", name, "pass'word--1", {}},
                              origin_);
  ASSERT_TRUE(made) << made.error().message;
  auto grant = domain::log_in(services(), "o'brien+x@example.com", "pass'word--1", origin_);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->user.name, name);
  EXPECT_EQ(count("users"), 1);
}

TEST_P(AccountsTest, WrongPasswordAndUnknownLoginLookTheSame) {
  user("carol@example.com");
  auto wrong = domain::log_in(services(), "carol@example.com", "not the password", origin_);
  auto unknown = domain::log_in(services(), "nobody@example.com", "not the password", origin_);
  expect_refused(wrong, DomainErrorCode::kUnauthenticated);
  expect_refused(unknown, DomainErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_P(AccountsTest, AccountLocksAfterFiveFailuresAndUnlocksLater) {
  user("dave@example.com");
  for (int i = 0; i < 5; ++i) {
    expect_refused(domain::log_in(services(), "dave@example.com", "wrong-password", origin_),
                   DomainErrorCode::kUnauthenticated);
  }
  // Locked now, even with the right password, and from another address too.
  expect_refused(domain::log_in(services(), "dave@example.com", "password-123", origin_),
                 DomainErrorCode::kLocked);
  expect_refused(domain::log_in(services(), "dave@example.com", "password-123", {"198.51.100.7"}),
                 DomainErrorCode::kLocked);
  now_ += minutes(15);
  EXPECT_TRUE(domain::log_in(services(), "dave@example.com", "password-123", origin_));
}

TEST_P(AccountsTest, SuccessClearsTheAccountCount) {
  user("erin@example.com");
  for (int i = 0; i < 4; ++i) {
    ASSERT_FALSE(domain::log_in(services(), "erin@example.com", "wrong-password", origin_));
  }
  ASSERT_TRUE(domain::log_in(services(), "erin@example.com", "password-123", origin_));
  for (int i = 0; i < 4; ++i) {
    ASSERT_FALSE(domain::log_in(services(), "erin@example.com", "wrong-password", origin_));
  }
  EXPECT_TRUE(domain::log_in(services(), "erin@example.com", "password-123", origin_));
}

TEST_P(AccountsTest, AddressIsRateLimitedAcrossAccounts) {
  user("frank@example.com");
  const domain::Origin attacker{"203.0.113.9"};
  for (int i = 0; i < 20; ++i) {
    ASSERT_FALSE(domain::log_in(services(), "user" + std::to_string(i) + "@example.com",
                                "guess-guess", attacker));
  }
  expect_refused(domain::log_in(services(), "frank@example.com", "password-123", attacker),
                 DomainErrorCode::kRateLimited);
  // Another address is not affected.
  EXPECT_TRUE(domain::log_in(services(), "frank@example.com", "password-123", origin_));
}

TEST_P(AccountsTest, SessionsExpire) {
  user("gina@example.com");
  auto grant = domain::log_in(services(), "gina@example.com", "password-123", origin_);
  ASSERT_TRUE(grant);
  now_ += services().session_lifetime - std::chrono::seconds(1);
  EXPECT_TRUE(domain::authenticate_session(services(), grant->token));
  now_ += std::chrono::seconds(1);
  expect_refused(domain::authenticate_session(services(), grant->token),
                 DomainErrorCode::kExpired);
  expect_refused(domain::authenticate_session(services(), "00" + grant->token.substr(2)),
                 DomainErrorCode::kUnauthenticated);
  expect_refused(domain::authenticate_session(services(), ""), DomainErrorCode::kUnauthenticated);
}

TEST_P(AccountsTest, LogInRehashesWhenParametersChange) {
  user("hank@example.com");
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  const auto old_hash =
      (*lease)->query_one("SELECT password_hash FROM users")->text(0).value();
  domain::Services stronger = services();
  stronger.hasher = domain::PasswordHasher({.memory_kib = 2048, .iterations = 1, .parallelism = 1});
  ASSERT_TRUE(domain::log_in(stronger, "hank@example.com", "password-123", origin_));
  const auto new_hash =
      (*lease)->query_one("SELECT password_hash FROM users")->text(0).value();
  EXPECT_NE(old_hash, new_hash);
  EXPECT_TRUE(new_hash.starts_with("$argon2id$v=19$m=2048,"));
  EXPECT_TRUE(domain::log_in(stronger, "hank@example.com", "password-123", origin_));
}

TEST_P(AccountsTest, PersonalDataIsNotStoredInClear) {
  auto made = domain::sign_up(
      services(), {"+86 139 1234 5678", "王小明", "password-123", "110101199003074514"}, origin_);
  ASSERT_TRUE(made);
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  auto rows = (*lease)->query("SELECT * FROM users");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1U);
  for (const auto& value : (*rows)[0].values()) {
    std::string text;
    if (const auto* s = std::get_if<std::string>(&value)) {
      text = *s;
    } else if (const auto* b = std::get_if<Bytes>(&value)) {
      text = std::string(as_chars(*b));
    }
    for (const char* secret : {"13912345678", "王小明", "110101199003074514", "password-123"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, AccountsTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

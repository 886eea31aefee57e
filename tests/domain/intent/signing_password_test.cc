// The signing password on both engines: first use, verification inside the intent check, the
// 15-minute lock after five wrong tries, and changing it with a fresh code.

#include "pactum/domain/intent/signing_password.h"

#include <gtest/gtest.h>

#include "domain_fixture.h"
#include "pactum/domain/intent/intent_check.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;
using domain::intent::IntentMethod;
using std::chrono::minutes;
using std::chrono::seconds;

class SigningPasswordTest : public DomainTest {
 protected:
  domain::DomainResult<domain::intent::IntentProof> sign_with(const std::string& password,
                                                              const std::string& signing = "s1") {
    domain::intent::IntentSubmission submission;
    submission.password = password;
    return domain::intent::verify_intent(
        services(), {{"ctr_1", "p", signing}, {IntentMethod::kPassword}, "138-0000-0000"},
        submission, audit_);
  }

  void set(const std::string& password) {
    auto done = domain::intent::set_signing_password(services(), "138-0000-0000", password, audit_);
    ASSERT_TRUE(done) << done.error().message;
  }

  domain::intent::IntentAudit audit_{std::nullopt, "user:usr_1", {"192.0.2.8"}};
};

TEST_P(SigningPasswordTest, SetOnceThenSignWithIt) {
  auto before = domain::intent::signing_password_state(services(), "+8613800000000");
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->set);
  auto none = sign_with("246810");
  expect_refused(none, DomainErrorCode::kConflict, "not set yet");
  EXPECT_TRUE(none.error().message.starts_with("password:"));

  expect_refused(
      domain::intent::set_signing_password(services(), "+8613800000000", "12345", audit_),
      DomainErrorCode::kInvalidInput, "too short");
  expect_refused(domain::intent::set_signing_password(services(), "not a phone", "246810", audit_),
                 DomainErrorCode::kInvalidInput, "bad holder");
  set("246810");
  expect_refused(
      domain::intent::set_signing_password(services(), "+8613800000000", "999999", audit_),
      DomainErrorCode::kConflict, "second set");
  auto state = domain::intent::signing_password_state(services(), "+86 138 0000 0000");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->set);

  auto proof = sign_with("246810");
  ASSERT_TRUE(proof) << proof.error().message;
  EXPECT_TRUE(proof->confirmed(IntentMethod::kPassword));
}

TEST_P(SigningPasswordTest, FiveWrongTriesLockForFifteenMinutes) {
  set("246810");
  for (int i = 1; i <= 4; ++i) {
    auto wrong = sign_with("000000");
    expect_refused(wrong, DomainErrorCode::kUnauthenticated, "wrong");
    EXPECT_NE(wrong.error().message.find(std::to_string(5 - i)), std::string::npos);
  }
  expect_refused(sign_with("000000"), DomainErrorCode::kLocked, "fifth");
  auto locked = sign_with("246810");
  expect_refused(locked, DomainErrorCode::kLocked, "the right password while locked");
  EXPECT_NE(locked.error().message.find("until"), std::string::npos);
  auto state = domain::intent::signing_password_state(services(), "+8613800000000");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->locked_until, now_ + minutes(15));

  now_ += minutes(15) - seconds(1);
  expect_refused(sign_with("246810"), DomainErrorCode::kLocked, "a second before the end");
  now_ += seconds(1);
  EXPECT_TRUE(sign_with("246810"));
  // The count restarted: four wrong tries do not lock.
  for (int i = 0; i < 4; ++i) {
    expect_refused(sign_with("000000"), DomainErrorCode::kUnauthenticated, "after the lock");
  }
  EXPECT_TRUE(sign_with("246810"));
}

TEST_P(SigningPasswordTest, ChangedOnlyWithAFreshCode) {
  expect_refused(domain::intent::start_signing_password_change(
                     services(), "+8613800000000", domain::messaging::Language::kEn, audit_),
                 DomainErrorCode::kNotFound, "nothing to change");
  set("246810");
  auto started = domain::intent::start_signing_password_change(
      services(), "+8613800000000", domain::messaging::Language::kEn, audit_);
  ASSERT_TRUE(started) << started.error().message;
  auto messages = outbox("+8613800000000");
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_NE(messages[0].text.find("signing password"), std::string::npos);
  const std::string code = messages[0].code;

  const std::string wrong = code == "111111" ? "222222" : "111111";
  auto refused = domain::intent::change_signing_password(services(), "+8613800000000", wrong,
                                                         "135790", audit_);
  expect_refused(refused, DomainErrorCode::kUnauthenticated, "wrong code");
  EXPECT_TRUE(refused.error().message.starts_with("code:"));
  expect_refused(
      domain::intent::change_signing_password(services(), "+8613800000000", code, "1", audit_),
      DomainErrorCode::kInvalidInput, "bad new password");
  // A code of an intent challenge for the same number is not a password-change code.
  ASSERT_TRUE(domain::intent::change_signing_password(services(), "+8613800000000", code, "135790",
                                                      audit_));
  EXPECT_TRUE(sign_with("135790"));
  expect_refused(sign_with("246810", "s2"), DomainErrorCode::kUnauthenticated, "old password");
  expect_refused(
      domain::intent::change_signing_password(services(), "+8613800000000", code, "975310", audit_),
      DomainErrorCode::kExpired, "the code again");
}

TEST_P(SigningPasswordTest, AChangeLiftsALock) {
  set("246810");
  for (int i = 0; i < 5; ++i) {
    (void)sign_with("000000");
  }
  expect_refused(sign_with("246810"), DomainErrorCode::kLocked, "locked");
  ASSERT_TRUE(domain::intent::start_signing_password_change(
      services(), "+8613800000000", domain::messaging::Language::kZh, audit_));
  const std::string code = outbox("+8613800000000").front().code;
  ASSERT_TRUE(domain::intent::change_signing_password(services(), "+8613800000000", code, "864200",
                                                      audit_));
  EXPECT_TRUE(sign_with("864200"));
}

TEST_P(SigningPasswordTest, NoPasswordInClear) {
  set("pin-9f3k2q");
  auto lease = database().acquire();
  auto rows = (*lease)->query("SELECT * FROM signing_passwords");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1U);
  for (const auto& value : rows->front().values()) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      EXPECT_EQ(s->find("pin-9f3k2q"), std::string::npos);
      EXPECT_EQ(s->find("13800000000"), std::string::npos);
    }
  }
  EXPECT_TRUE(rows->front().text(1).value().starts_with("$argon2id$"));
}

INSTANTIATE_TEST_SUITE_P(Engines, SigningPasswordTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

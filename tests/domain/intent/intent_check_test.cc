// Intent confirmation on both engines: SMS and e-mail codes (sent through the sandbox provider,
// read back from the outbox), every rule of a challenge, the proof, and the audit trail.

#include "pactum/domain/intent/intent_check.h"

#include <gtest/gtest.h>

#include <set>

#include "domain_fixture.h"
#include "pactum/domain/audit_log.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;
using domain::intent::IntentBinding;
using domain::intent::IntentMethod;
using domain::intent::IntentRequirement;
using domain::intent::IntentSubmission;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kMobile = "+8613900000001";
constexpr const char* kEmail = "zhangsan@example.com";

class IntentCheckTest : public DomainTest {
 protected:
  IntentBinding binding(const std::string& signing = "sgn_1") {
    return {"ctr_1", "employee", signing};
  }

  // start sends a code for binding by method and returns the code the outbox shows.
  std::string start(const IntentBinding& b, IntentMethod method = IntentMethod::kSmsCode,
                    const std::string& to = kMobile) {
    auto sent = domain::intent::start_intent_challenge(
        services(),
        {b, method, to, domain::messaging::Language::kZh, "劳动合同", "https://pactum.test/s/t"},
        audit_);
    EXPECT_TRUE(sent) << (sent ? "" : sent.error().message);
    auto messages = outbox(to);
    EXPECT_FALSE(messages.empty());
    return messages.empty() ? "" : messages.front().code;
  }

  domain::DomainResult<domain::intent::IntentProof> verify(const IntentBinding& b,
                                                           IntentSubmission submission,
                                                           std::vector<IntentMethod> methods = {
                                                               IntentMethod::kSmsCode}) {
    return domain::intent::verify_intent(services(), IntentRequirement{b, methods, kMobile},
                                         submission, audit_);
  }

  static IntentSubmission sms(const std::string& code) {
    IntentSubmission s;
    s.sms_code = code;
    return s;
  }

  static std::string other_code(const std::string& code) {
    return code == "000000" ? "000001" : "000000";
  }

  std::vector<std::string> audit_actions() {
    auto lease = database().acquire();
    auto rows = (*lease)->query("SELECT action, detail FROM audit_log ORDER BY seq");
    std::vector<std::string> out;
    for (const auto& row : rows.value_or(std::vector<store::Row>{})) {
      out.push_back(row.text(0).value_or(""));
      details_ += row.text(1).value_or("") + "\n";
    }
    return out;
  }

  domain::intent::IntentAudit audit_{"ent_1", "party:employee", {"192.0.2.7"}};
  std::string details_;
};

TEST_P(IntentCheckTest, TheCodeGoesOutWithTheLinkAndConfirmsOnce) {
  const std::string code = start(binding());
  ASSERT_EQ(code.size(), 6U);
  EXPECT_TRUE(std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }));
  auto messages = outbox(kMobile);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].channel, domain::messaging::Channel::kSms);
  EXPECT_EQ(messages[0].link, "https://pactum.test/s/t");
  EXPECT_NE(messages[0].text.find(code), std::string::npos);
  EXPECT_NE(messages[0].text.find("https://pactum.test/s/t"), std::string::npos);
  EXPECT_NE(messages[0].text.find("劳动合同"), std::string::npos);
  EXPECT_EQ(messages[0].sent_at, now_);

  now_ += seconds(30);
  auto proof = verify(binding(), sms(code));
  ASSERT_TRUE(proof) << proof.error().message;
  EXPECT_TRUE(proof->covers(binding()));
  EXPECT_FALSE(proof->covers(binding("sgn_2")));
  EXPECT_EQ(proof->methods(), std::vector<IntentMethod>{IntentMethod::kSmsCode});
  EXPECT_TRUE(proof->confirmed(IntentMethod::kSmsCode));
  EXPECT_FALSE(proof->confirmed(IntentMethod::kPassword));
  EXPECT_EQ(proof->confirmed_at(), now_);

  // Single use: the same code again is refused.
  auto again = verify(binding(), sms(code));
  expect_refused(again, DomainErrorCode::kExpired, "reused");
  EXPECT_TRUE(again.error().message.starts_with("sms_code:")) << again.error().message;
  EXPECT_NE(again.error().message.find("already used"), std::string::npos);

  EXPECT_EQ(audit_actions(),
            (std::vector<std::string>{"intent.code.start", "intent.verify", "intent.verify"}));
  EXPECT_EQ(details_.find(code), std::string::npos) << "the code is never audited";
  EXPECT_EQ(details_.find("13900000001"), std::string::npos) << "nor the recipient";
  EXPECT_NE(details_.find("\"result\":\"confirmed\""), std::string::npos);
  EXPECT_NE(details_.find("\"failed\":\"sms_code\""), std::string::npos);
}

TEST_P(IntentCheckTest, FiveWrongCodesLockTheChallenge) {
  const std::string code = start(binding());
  for (int i = 1; i <= 4; ++i) {
    auto wrong = verify(binding(), sms(other_code(code)));
    expect_refused(wrong, DomainErrorCode::kUnauthenticated, "wrong");
    EXPECT_NE(wrong.error().message.find(std::to_string(5 - i) + (i == 4 ? " try" : " tries")),
              std::string::npos)
        << wrong.error().message;
  }
  expect_refused(verify(binding(), sms("12ab")), DomainErrorCode::kLocked, "fifth, malformed");
  auto right = verify(binding(), sms(code));
  expect_refused(right, DomainErrorCode::kLocked, "the right code after the lock");
  EXPECT_TRUE(right.error().message.starts_with("sms_code:"));
  // A fresh code (after the resend interval) works again.
  now_ += seconds(60);
  const std::string fresh = start(binding());
  EXPECT_TRUE(verify(binding(), sms(fresh)));
}

TEST_P(IntentCheckTest, AnExpiredCodeIsRefused) {
  const std::string code = start(binding());
  now_ += minutes(5);
  expect_refused(verify(binding(), sms(code)), DomainErrorCode::kExpired, "at five minutes");
}

TEST_P(IntentCheckTest, ACodeJustBeforeExpiryPasses) {
  const std::string code = start(binding());
  now_ += minutes(5) - seconds(1);
  EXPECT_TRUE(verify(binding(), sms(code)));
}

TEST_P(IntentCheckTest, ACodeOfAnotherBindingConfirmsNothing) {
  const std::string code = start(binding("sgn_1"));
  for (const IntentBinding& other : {binding("sgn_2"), IntentBinding{"ctr_2", "employee", "sgn_1"},
                                     IntentBinding{"ctr_1", "employer", "sgn_1"}}) {
    expect_refused(verify(other, sms(code)), DomainErrorCode::kExpired, other.value().c_str());
  }
  // An e-mail code is not an SMS code either.
  IntentSubmission as_email;
  as_email.email_code = code;
  expect_refused(verify(binding("sgn_1"), as_email, {IntentMethod::kEmailCode}),
                 DomainErrorCode::kExpired, "other channel");
  EXPECT_TRUE(verify(binding("sgn_1"), sms(code))) << "still live for its own binding";
}

TEST_P(IntentCheckTest, ResendIsLimited) {
  const std::string first = start(binding());
  now_ += seconds(59);
  auto too_soon = domain::intent::start_intent_challenge(
      services(), {binding(), IntentMethod::kSmsCode, kMobile, {}, "t", "l"}, audit_);
  expect_refused(too_soon, DomainErrorCode::kRateLimited, "resend after 59 s");
  EXPECT_NE(too_soon.error().message.find("1 s"), std::string::npos) << too_soon.error().message;
  now_ += seconds(1);
  const std::string second = start(binding());
  if (second != first) {
    expect_refused(verify(binding(), sms(first)), DomainErrorCode::kUnauthenticated,
                   "the superseded code");
  }
  EXPECT_TRUE(verify(binding(), sms(second)));
}

TEST_P(IntentCheckTest, TenCodesAnHourPerNumber) {
  for (int i = 0; i < 10; ++i) {
    start(binding("sgn_" + std::to_string(i)));
    now_ += seconds(1);
  }
  auto eleventh = domain::intent::start_intent_challenge(
      services(), {binding("sgn_x"), IntentMethod::kSmsCode, "138 0013 8000", {}, "t", "l"},
      audit_);
  ASSERT_TRUE(eleventh) << "another number is not limited";
  expect_refused(
      domain::intent::start_intent_challenge(
          services(), {binding("sgn_y"), IntentMethod::kSmsCode, kMobile, {}, "t", "l"}, audit_),
      DomainErrorCode::kRateLimited, "eleventh in the hour");
  now_ += minutes(60);
  start(binding("sgn_y"));
}

TEST_P(IntentCheckTest, EveryRequiredMethodMustPassAndNamesTheOneThatDidNot) {
  const std::string sms_code = start(binding());
  const std::string email_code = start(binding(), IntentMethod::kEmailCode, kEmail);
  const std::vector<IntentMethod> both = {IntentMethod::kSmsCode, IntentMethod::kEmailCode};

  auto missing = verify(binding(), sms(sms_code), both);
  expect_refused(missing, DomainErrorCode::kInvalidInput, "e-mail code missing");
  EXPECT_EQ(missing.error().message, "email_code: required");

  IntentSubmission wrong_email = sms(sms_code);
  wrong_email.email_code = other_code(email_code);
  auto refused = verify(binding(), wrong_email, both);
  expect_refused(refused, DomainErrorCode::kUnauthenticated, "wrong e-mail code");
  EXPECT_TRUE(refused.error().message.starts_with("email_code:")) << refused.error().message;

  // The SMS code was not used up by the refused attempt.
  IntentSubmission right = sms(sms_code);
  right.email_code = email_code;
  auto proof = verify(binding(), right, both);
  ASSERT_TRUE(proof) << proof.error().message;
  EXPECT_EQ(proof->methods(), both);

  expect_refused(verify(binding(), {}, {}), DomainErrorCode::kInvalidInput, "nothing required");
  IntentSubmission face;
  face.face = "token";
  expect_refused(verify(binding(), face, {IntentMethod::kFace}), DomainErrorCode::kUnavailable,
                 "no face provider");
}

TEST_P(IntentCheckTest, BadRecipientsAndMethodsAreRefusedBeforeSending) {
  using domain::intent::start_intent_challenge;
  auto not_mobile = start_intent_challenge(
      services(), {binding(), IntentMethod::kSmsCode, kEmail, {}, "t", "l"}, audit_);
  expect_refused(not_mobile, DomainErrorCode::kInvalidInput, "e-mail for SMS");
  EXPECT_NE(not_mobile.error().message.find("mobile"), std::string::npos);
  auto not_email = start_intent_challenge(
      services(), {binding(), IntentMethod::kEmailCode, kMobile, {}, "t", "l"}, audit_);
  expect_refused(not_email, DomainErrorCode::kInvalidInput, "mobile for e-mail");
  EXPECT_NE(not_email.error().message.find("email"), std::string::npos);
  expect_refused(
      start_intent_challenge(services(),
                             {binding(), IntentMethod::kPassword, kMobile, {}, "t", "l"}, audit_),
      DomainErrorCode::kInvalidInput, "password sends no code");
  EXPECT_EQ(count("intent_challenges"), 0);
  EXPECT_EQ(count("sandbox_outbox"), 0);
}

// DownSms is a provider that is always down.
class DownSms final : public domain::messaging::SmsSender {
 public:
  domain::messaging::SendResult send(const domain::messaging::OutgoingMessage&) override {
    return std::unexpected(domain::messaging::SendError{
        domain::messaging::SendFailure::kUnavailable, "down", "connection refused"});
  }
  [[nodiscard]] std::string_view name() const override { return "down"; }
};

TEST_P(IntentCheckTest, NoProviderTakesTheMessage) {
  DownSms down;
  const domain::messaging::Messaging broken{&down, nullptr, false};
  domain::Services with_broken = services();
  with_broken.messaging = &broken;
  auto sent = domain::intent::start_intent_challenge(
      with_broken, {binding(), IntentMethod::kSmsCode, kMobile, {}, "t", "l"}, audit_);
  expect_refused(sent, DomainErrorCode::kUnavailable, "provider down");
  EXPECT_TRUE(sent.error().message.starts_with("sms_code:"));
  {
    auto lease = database().acquire();
    auto state = (*lease)->query_one("SELECT state FROM intent_challenges");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->text(0).value(), "undelivered");
  }
  EXPECT_EQ(audit_actions(),
            (std::vector<std::string>{"intent.code.start", "intent.code.start.undelivered"}));
  expect_refused(verify(binding(), sms("123456")), DomainErrorCode::kExpired, "nothing live");
}

TEST_P(IntentCheckTest, CodesAreStoredOnlyAsKeyedDigests) {
  std::set<std::string> codes;
  for (int i = 0; i < 5; ++i) {
    codes.insert(start(binding("sgn_" + std::to_string(i))));
  }
  // Every table's every value, as text and as hex, holds none of the codes or the number.
  auto lease = database().acquire();
  std::string everything;
  for (const char* table : {"intent_challenges", "sandbox_outbox", "audit_log"}) {
    auto rows = (*lease)->query(std::string("SELECT * FROM ") + table);
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) {
      for (const auto& value : row.values()) {
        if (const auto* s = std::get_if<std::string>(&value)) {
          everything += *s + "|";
        } else if (const auto* b = std::get_if<Bytes>(&value)) {
          everything += std::string(as_chars(*b)) + "|";
        }
      }
    }
  }
  for (const std::string& code : codes) {
    EXPECT_EQ(everything.find(code), std::string::npos) << code;
  }
  EXPECT_EQ(everything.find("13900000001"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, IntentCheckTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

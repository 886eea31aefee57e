// Message templates (both languages, every placeholder filled, a bad template is a bug that
// shows) and fail-over across providers of one kind.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "pactum/domain/intent/intent_templates.h"
#include "pactum/domain/messaging/dispatch.h"
#include "pactum/domain/messaging/failover.h"
#include "pactum/domain/messaging/templates.h"

namespace pactum::testing {
namespace {

using namespace domain::messaging;

TEST(MessageTemplates, IntentCodeInBothLanguagesWithLinkAndCode) {
  const TemplateValues values = {{"title", "劳动合同"},
                                 {"code", "042917"},
                                 {"minutes", "5"},
                                 {"link", "https://pactum.test/s/tok"}};
  auto zh = compose_message(Channel::kSms, "+8613900000001", domain::intent::kIntentCodeTemplate,
                            Language::kZh, values);
  ASSERT_TRUE(zh) << zh.error().message;
  EXPECT_EQ(zh->text,
            "您正在签署《劳动合同》，验证码 042917，5 分钟内有效。请勿将验证码告诉任何人。"
            "签署链接：https://pactum.test/s/tok");
  EXPECT_EQ(zh->subject, "【Pactum】签署验证码");
  EXPECT_EQ(zh->code, "042917");
  EXPECT_EQ(zh->link, "https://pactum.test/s/tok");
  EXPECT_EQ(zh->to, "+8613900000001");

  auto en = compose_message(Channel::kEmail, "a@example.com", domain::intent::kIntentCodeTemplate,
                            Language::kEn, values);
  ASSERT_TRUE(en);
  EXPECT_EQ(en->text,
            "Your code to sign \"劳动合同\" is 042917. It is valid for 5 minutes; never share it "
            "with anyone. Signing link: https://pactum.test/s/tok");
  EXPECT_EQ(en->subject, "Pactum signing code");
}

TEST(MessageTemplates, EveryTemplateRendersInBothLanguages) {
  const std::vector<std::pair<const MessageTemplate*, TemplateValues>> all = {
      {&domain::intent::kSignUpCodeTemplate, {{"code", "123456"}, {"minutes", "5"}}},
      {&domain::intent::kPasswordChangeCodeTemplate, {{"code", "123456"}, {"minutes", "5"}}},
      {&domain::intent::kAccountExistsTemplate, {}},
  };
  for (const auto& [message_template, values] : all) {
    for (const Language language : {Language::kZh, Language::kEn}) {
      auto rendered = render_template(*message_template, language, values);
      ASSERT_TRUE(rendered) << message_template->name << ": " << rendered.error().message;
      EXPECT_FALSE(rendered->text.empty());
      EXPECT_EQ(rendered->text.find('{'), std::string::npos) << rendered->text;
    }
  }
}

TEST(MessageTemplates, MissingUnusedAndBrokenPlaceholdersAreBugs) {
  constexpr MessageTemplate kT{"t", {"", "码 {code}"}, {"", "code {code} {{literal}"}};
  auto missing = render_template(kT, Language::kZh, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, domain::DomainErrorCode::kInternal);
  EXPECT_NE(missing.error().message.find("{code}"), std::string::npos);
  auto unused = render_template(kT, Language::kZh, {{"code", "1"}, {"link", "x"}});
  ASSERT_FALSE(unused);
  EXPECT_NE(unused.error().message.find("{link}"), std::string::npos);
  auto literal = render_template(kT, Language::kEn, {{"code", "1"}});
  ASSERT_TRUE(literal);
  EXPECT_EQ(literal->text, "code 1 {literal}");
  constexpr MessageTemplate kBroken{"b", {"", "{code"}, {"", "{Code}"}};
  EXPECT_FALSE(render_template(kBroken, Language::kZh, {{"code", "1"}}));
  EXPECT_FALSE(render_template(kBroken, Language::kEn, {{"code", "1"}}));
}

TEST(MessageTemplates, LanguageNames) {
  EXPECT_EQ(parse_language("zh"), Language::kZh);
  EXPECT_EQ(parse_language("zh-CN"), Language::kZh);
  EXPECT_EQ(parse_language("EN_gb"), Language::kEn);
  EXPECT_EQ(parse_language("fr"), std::nullopt);
  EXPECT_EQ(parse_language(""), std::nullopt);
  EXPECT_EQ(language_name(Language::kEn), "en");
}

// ScriptedSms answers every send with a fixed result and counts the calls.
class ScriptedSms final : public SmsSender {
 public:
  ScriptedSms(std::string name, std::optional<SendFailure> failure)
      : name_(std::move(name)), failure_(failure) {}
  SendResult send(const OutgoingMessage&) override {
    ++calls;
    if (failure_) {
      return std::unexpected(SendError{*failure_, name_, "scripted"});
    }
    return SendReceipt{name_, "ref-" + name_};
  }
  [[nodiscard]] std::string_view name() const override { return name_; }
  int calls = 0;

 private:
  std::string name_;
  std::optional<SendFailure> failure_;
};

struct Chain {
  std::vector<ScriptedSms*> providers;
  std::unique_ptr<FailoverSmsSender> sender;
};

Chain chain(std::vector<std::optional<SendFailure>> script) {
  Chain out;
  std::vector<std::unique_ptr<SmsSender>> owned;
  int i = 0;
  for (const auto& failure : script) {
    auto provider = std::make_unique<ScriptedSms>("p" + std::to_string(++i), failure);
    out.providers.push_back(provider.get());
    owned.push_back(std::move(provider));
  }
  out.sender = std::make_unique<FailoverSmsSender>(std::move(owned));
  return out;
}

const OutgoingMessage kMessage{Channel::kSms, "+8613900000001", "", "text", "", "123456"};

TEST(Failover, FirstDownSecondAnswers) {
  for (const SendFailure failure :
       {SendFailure::kUnavailable, SendFailure::kTimedOut, SendFailure::kBadAnswer}) {
    Chain c = chain({failure, std::nullopt, std::nullopt});
    auto sent = c.sender->send(kMessage);
    ASSERT_TRUE(sent) << send_failure_name(failure);
    EXPECT_EQ(sent->provider, "p2");
    EXPECT_EQ(sent->reference, "ref-p2");
    EXPECT_EQ(c.providers[0]->calls, 1);
    EXPECT_EQ(c.providers[1]->calls, 1);
    EXPECT_EQ(c.providers[2]->calls, 0);
  }
}

TEST(Failover, ADefiniteRefusalIsNotRetriedElsewhere) {
  Chain c = chain({SendFailure::kRefused, std::nullopt});
  auto sent = c.sender->send(kMessage);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kRefused);
  EXPECT_EQ(sent.error().provider, "p1");
  EXPECT_EQ(c.providers[1]->calls, 0);
}

TEST(Failover, AllDownIsUnavailableNamingEach) {
  Chain c = chain({SendFailure::kUnavailable, SendFailure::kTimedOut});
  auto sent = c.sender->send(kMessage);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kTimedOut);
  EXPECT_NE(sent.error().message.find("p1: scripted"), std::string::npos);
  EXPECT_NE(sent.error().message.find("p2: scripted"), std::string::npos);
  EXPECT_EQ(c.sender->name(), "p1,p2");
  Chain none = chain({});
  auto nothing = none.sender->send(kMessage);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().failure, SendFailure::kUnavailable);
}

TEST(Dispatch, MapsFailuresToDomainErrors) {
  ScriptedSms down("down", SendFailure::kTimedOut);
  ScriptedSms refusing("refusing", SendFailure::kRefused);
  ScriptedSms fine("fine", std::nullopt);
  auto unavailable = dispatch(Messaging{&down, nullptr, false}, kMessage);
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().code, domain::DomainErrorCode::kUnavailable);
  auto refused = dispatch(Messaging{&refusing, nullptr, false}, kMessage);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, domain::DomainErrorCode::kInvalidInput);
  EXPECT_TRUE(refused.error().message.starts_with("mobile:"));
  auto no_email = dispatch(Messaging{&fine, nullptr, false},
                           OutgoingMessage{Channel::kEmail, "a@example.com", "s", "t", "", ""});
  ASSERT_FALSE(no_email);
  EXPECT_EQ(no_email.error().code, domain::DomainErrorCode::kUnavailable);
  auto sent = dispatch(Messaging{&fine, nullptr, false}, kMessage);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->provider, "fine");
}

}  // namespace
}  // namespace pactum::testing

#include "pactum/domain/intent/intent_proof.h"

namespace pactum::testing {
namespace {

// The test-only maker gives a proof that covers exactly its binding.
TEST(IntentProofForTest, CoversItsBindingOnly) {
  const domain::intent::IntentBinding binding{"ctr", "party", "sgn"};
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  const auto proof =
      domain::intent::intent_proof_for_test(binding, {domain::intent::IntentMethod::kSmsCode}, at);
  EXPECT_TRUE(proof.covers(binding));
  EXPECT_FALSE(proof.covers({"ctr", "party", "sgn2"}));
  EXPECT_FALSE(proof.covers({"ctr", "part", "ysgn"}));
  EXPECT_EQ(proof.confirmed_at(), at);
  EXPECT_NE(domain::intent::IntentBinding({"a:b", "c", ""}).value(),
            domain::intent::IntentBinding({"a", "b:c", ""}).value());
}

}  // namespace
}  // namespace pactum::testing

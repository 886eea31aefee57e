// GET /api/v1/sandbox/outbox exactly as ../shared/docs/API.md fixes it, only in a sandbox
// configuration; and providers.json: which providers a node runs, the sandbox never in
// production.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api_fixture.h"
#include "pactum/api/messaging_providers.h"
#include "pactum/domain/intent/intent_check.h"

namespace pactum::testing {
namespace {

using boost::beast::http::verb;

class SandboxOutboxTest : public ApiTest {
 protected:
  void send_code(const std::string& to, domain::intent::IntentMethod method,
                 const std::string& signing) {
    auto sent = domain::intent::start_intent_challenge(services(),
                                                       {{"ctr_1", "p", signing},
                                                        method,
                                                        to,
                                                        domain::messaging::Language::kEn,
                                                        "Lease",
                                                        "http://127.0.0.1:8080/s/tok"},
                                                       {});
    ASSERT_TRUE(sent) << sent.error().message;
  }
};

TEST_P(SandboxOutboxTest, ListsWhatWasSentThereNewestFirst) {
  Reply empty = call(verb::get, "/api/v1/sandbox/outbox?to=%2B8613900000001");
  ASSERT_EQ(empty.status, 200U) << empty.raw.body();
  EXPECT_EQ(empty.body, nlohmann::json::array());

  send_code("+8613900000001", domain::intent::IntentMethod::kSmsCode, "s1");
  now_ += std::chrono::seconds(61);
  send_code("+8613900000001", domain::intent::IntentMethod::kSmsCode, "s1");
  send_code("Zhang.San@Example.com", domain::intent::IntentMethod::kEmailCode, "s1");

  Reply sms = call(verb::get, "/api/v1/sandbox/outbox?to=13900000001");
  ASSERT_EQ(sms.status, 200U);
  ASSERT_TRUE(sms.body.is_array());
  ASSERT_EQ(sms.body.size(), 2U);
  const auto& newest = sms.body[0];
  EXPECT_EQ(newest["channel"], "sms");
  EXPECT_EQ(newest["to"], "+8613900000001");
  EXPECT_EQ(newest["link"], "http://127.0.0.1:8080/s/tok");
  EXPECT_EQ(newest["code"].get<std::string>().size(), 6U);
  EXPECT_NE(newest["text"].get<std::string>().find(newest["code"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(newest["sent_at"], "2026-01-01T00:01:01Z");
  EXPECT_EQ(sms.body[1]["sent_at"], "2026-01-01T00:00:00Z");
  std::set<std::string> keys;
  for (const auto& [key, value] : newest.items()) {
    keys.insert(key);
  }
  EXPECT_EQ(keys,
            (std::set<std::string>{"channel", "to", "subject", "text", "link", "code", "sent_at"}));

  Reply mail = call(verb::get, "/api/v1/sandbox/outbox?to=zhang.san%40example.com");
  ASSERT_EQ(mail.body.size(), 1U);
  EXPECT_EQ(mail.body[0]["channel"], "email");
  EXPECT_EQ(mail.body[0]["subject"], "Pactum signing code");

  EXPECT_EQ(call(verb::get, "/api/v1/sandbox/outbox").status, 400U);
  Reply bad = call(verb::get, "/api/v1/sandbox/outbox?to=nobody");
  EXPECT_EQ(bad.status, 400U);
  EXPECT_NE(bad.raw.body().find("to:"), std::string::npos);
}

TEST_P(SandboxOutboxTest, NotRoutedAtAllWithoutSandboxProviders) {
  domain::Services production = services();
  const domain::messaging::Messaging none{};
  production.messaging = &none;
  http::Router router;
  api::add_api_routes(router, production);
  http::Request request{verb::get, "/api/v1/sandbox/outbox?to=13900000001", 11};
  http::RequestContext context;
  const http::Response response = router.handle(request, context);
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_TRUE(context.route.empty());
}

TEST_P(SandboxOutboxTest, ProvidersFileDecidesAndNeverAllowsTheSandboxInProduction) {
  auto clock = [this] { return now_; };
  auto sandbox = api::MessagingProviders::from_config({{"format", 1}, {"mode", "sandbox"}},
                                                      database(), services().pii, clock);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  EXPECT_TRUE((*sandbox)->messaging().sandbox);
  EXPECT_EQ((*sandbox)->messaging().sms->name(), "sandbox-sms");

  const nlohmann::json production = {{"format", 1},
                                     {"mode", "production"},
                                     {"sms",
                                      {{{"kind", "http"},
                                        {"name", "a"},
                                        {"url", "https://sms.example.com/v1"},
                                        {"access_key_id", "k"},
                                        {"access_key_secret", "s"},
                                        {"sign_name", "Pactum"}},
                                       {{"kind", "http"},
                                        {"name", "b"},
                                        {"url", "https://sms2.example.com/v1"},
                                        {"access_key_id", "k"},
                                        {"access_key_secret", "s"},
                                        {"sign_name", "Pactum"}}}},
                                     {"email",
                                      {{{"kind", "smtp"},
                                        {"name", "m"},
                                        {"url", "smtp://mail.example.com:587"},
                                        {"from", "noreply@example.com"}}}}};
  auto real = api::MessagingProviders::from_config(production, database(), services().pii, clock);
  ASSERT_TRUE(real) << real.error().message;
  EXPECT_FALSE((*real)->messaging().sandbox);
  EXPECT_EQ((*real)->messaging().sms->name(), "http:a,http:b");
  EXPECT_EQ((*real)->messaging().email->name(), "smtp:m");

  for (const nlohmann::json& bad : {
           nlohmann::json{{"format", 1}, {"mode", "production"}, {"sms", {{{"kind", "sandbox"}}}}},
           nlohmann::json{{"format", 1}, {"mode", "sandbox"}, {"sms", nlohmann::json::array()}},
           nlohmann::json{{"format", 1}, {"mode", "test"}},
           nlohmann::json{{"format", 2}, {"mode", "sandbox"}},
           nlohmann::json{{"format", 1}, {"mode", "production"}, {"fax", 1}},
           nlohmann::json{{"format", 1}, {"mode", "production"}, {"email", {{{"kind", "http"}}}}},
       }) {
    auto refused = api::MessagingProviders::from_config(bad, database(), services().pii, clock);
    ASSERT_FALSE(refused) << bad.dump();
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << bad.dump();
  }
  auto refused = api::MessagingProviders::from_config(
      {{"format", 1}, {"mode", "production"}, {"sms", {{{"kind", "sandbox"}}}}}, database(),
      services().pii, clock);
  EXPECT_NE(refused.error().message.find("production"), std::string::npos);

  auto absent = api::MessagingProviders::open(test_database().dir() + "/no-such-dir", database(),
                                              services().pii, clock);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE((*absent)->messaging().sandbox);
  EXPECT_EQ((*absent)->messaging().sms, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Engines, SandboxOutboxTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

// The signed-HTTP SMS adapter against a fake provider on 127.0.0.1 (an ephemeral port): the
// signed request, every mapped answer, 500s retried, a slow provider timed out, garbage answers
// as errors, and fail-over from a down provider to a second one.

#include "pactum/adapters/sms/http_sms_sender.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loopback_http_server.h"
#include "pactum/domain/messaging/failover.h"

namespace pactum::testing {
namespace {

using adapters::sms::HttpSmsSender;
using adapters::sms::HttpSmsSettings;
using domain::messaging::OutgoingMessage;
using domain::messaging::SendFailure;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
const OutgoingMessage kMessage{
    domain::messaging::Channel::kSms, "+8613900000001", "", "您的验证码 042917", "", "042917"};

HttpSmsSettings settings_for(const std::string& url, int retries = 0,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  return {"primary", url, "AK-test", "secret-test", "Pactum", timeout, retries};
}

std::string answer(int status, const std::string& body) {
  return LoopbackHttpServer::http_response(status, "application/json", body);
}

std::string header(const std::string& head, const std::string& name) {
  const std::string key = "\r\n" + name + ": ";
  const auto at = head.find(key);
  if (at == std::string::npos) {
    return "";
  }
  const auto start = at + key.size();
  return head.substr(start, head.find("\r\n", start) - start);
}

TEST(HttpSmsSender, SendsASignedRequestAndReadsTheMessageId) {
  std::string received;
  LoopbackHttpServer server([&](const std::string& body) {
    received = body;
    return answer(200, R"({"code":"OK","message_id":"m-123"})");
  });
  HttpSmsSender sender(settings_for(server.url("/v1/sms")), [] { return kNow; });
  auto sent = sender.send(kMessage);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->provider, "http:primary");
  EXPECT_EQ(sent->reference, "m-123");

  const std::string head = server.last_request_head();
  EXPECT_TRUE(head.starts_with("POST /v1/sms HTTP/1.1")) << head;
  const auto body = nlohmann::json::parse(received);
  EXPECT_EQ(body["to"], "+8613900000001");
  EXPECT_EQ(body["text"], "您的验证码 042917");
  EXPECT_EQ(body["sign_name"], "Pactum");
  EXPECT_EQ(header(head, "X-Sms-Access-Key"), "AK-test");
  EXPECT_EQ(header(head, "X-Sms-Timestamp"), "1767225600");
  const std::string nonce = header(head, "X-Sms-Nonce");
  EXPECT_EQ(nonce.size(), 32U);
  EXPECT_EQ(header(head, "X-Sms-Signature"),
            adapters::sms::sms_request_signature("secret-test", "/v1/sms", "1767225600", nonce,
                                                 received));
  EXPECT_NE(adapters::sms::sms_request_signature("other", "/v1/sms", "1767225600", nonce, received),
            header(head, "X-Sms-Signature"));
  EXPECT_EQ(head.find("secret-test"), std::string::npos) << "the secret never travels";
}

TEST(HttpSmsSender, ProviderCodesAreMapped) {
  const std::vector<std::tuple<int, std::string, SendFailure>> cases = {
      {400, R"({"code":"INVALID_NUMBER","message":"bad"})", SendFailure::kRefused},
      {200, R"({"code":"BLOCKED_NUMBER"})", SendFailure::kRefused},
      {200, R"({"code":"CONTENT_REJECTED"})", SendFailure::kRefused},
      {429, R"({"code":"THROTTLED"})", SendFailure::kUnavailable},
      {401, R"({"code":"SIGNATURE_MISMATCH"})", SendFailure::kUnavailable},
      {200, R"({"code":"SOMETHING_NEW"})", SendFailure::kBadAnswer},
      {200, R"({"code":"OK"})", SendFailure::kBadAnswer},                  // no message id
      {202, R"({"code":"OK","message_id":""})", SendFailure::kBadAnswer},  // empty id
      {200, "not json at all", SendFailure::kBadAnswer},
      {200, R"(["code","OK"])", SendFailure::kBadAnswer},
      {200, R"({"code":7})", SendFailure::kBadAnswer},
      {404, "<html>no</html>", SendFailure::kBadAnswer},
  };
  for (const auto& [status, body, expected] : cases) {
    LoopbackHttpServer server(
        [&, s = status, b = body](const std::string&) { return answer(s, b); });
    HttpSmsSender sender(settings_for(server.url("/sms")), [] { return kNow; });
    auto sent = sender.send(kMessage);
    ASSERT_FALSE(sent) << body;
    EXPECT_EQ(domain::messaging::send_failure_name(sent.error().failure),
              domain::messaging::send_failure_name(expected))
        << status << " " << body << ": " << sent.error().message;
  }
}

TEST(HttpSmsSender, ServerErrorsAreRetriedThenUnavailable) {
  int calls = 0;
  LoopbackHttpServer failing(
      [&](const std::string&) {
        ++calls;
        return answer(500, R"({"code":"INTERNAL_ERROR"})");
      },
      3);
  HttpSmsSender sender(settings_for(failing.url("/sms"), 2), [] { return kNow; });
  auto sent = sender.send(kMessage);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kUnavailable);
  (void)failing.last_request_head();
  EXPECT_EQ(calls, 3) << "one attempt and two retries";

  int second_calls = 0;
  LoopbackHttpServer flaky(
      [&](const std::string&) {
        return ++second_calls == 1 ? answer(503, "busy")
                                   : answer(200, R"({"code":"OK","message_id":"m-2"})");
      },
      2);
  HttpSmsSender retrying(settings_for(flaky.url("/sms"), 1), [] { return kNow; });
  auto retried = retrying.send(kMessage);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->reference, "m-2");
}

TEST(HttpSmsSender, ASlowProviderTimesOut) {
  LoopbackHttpServer silent([](const std::string&) { return std::string(); });
  HttpSmsSender sender(settings_for(silent.url("/sms"), 2, std::chrono::milliseconds(300)),
                       [] { return kNow; });
  auto sent = sender.send(kMessage);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kTimedOut) << sent.error().message;
}

TEST(HttpSmsSender, FailOverFromADownProviderToTheSecond) {
  // The first provider's port has nothing listening any more.
  std::string dead_url;
  {
    LoopbackHttpServer gone([](const std::string&) { return answer(200, "{}"); }, 0);
    dead_url = gone.url("/sms");
  }
  LoopbackHttpServer second(
      [](const std::string&) { return answer(200, R"({"code":"OK","message_id":"m-second"})"); });
  std::vector<std::unique_ptr<domain::messaging::SmsSender>> providers;
  auto first_settings = settings_for(dead_url);
  first_settings.name = "first";
  providers.push_back(std::make_unique<HttpSmsSender>(first_settings, [] { return kNow; }));
  auto second_settings = settings_for(second.url("/sms"));
  second_settings.name = "second";
  providers.push_back(std::make_unique<HttpSmsSender>(second_settings, [] { return kNow; }));
  domain::messaging::FailoverSmsSender failover(std::move(providers));
  auto sent = failover.send(kMessage);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->provider, "http:second");
  EXPECT_EQ(sent->reference, "m-second");
}

TEST(HttpSmsSender, ARefusalIsNotRetriedOnTheSecondProvider) {
  LoopbackHttpServer first(
      [](const std::string&) { return answer(400, R"({"code":"INVALID_NUMBER"})"); });
  int second_calls = 0;
  LoopbackHttpServer second(
      [&](const std::string&) {
        ++second_calls;
        return answer(200, R"({"code":"OK","message_id":"x"})");
      },
      0);
  std::vector<std::unique_ptr<domain::messaging::SmsSender>> providers;
  providers.push_back(
      std::make_unique<HttpSmsSender>(settings_for(first.url("/sms"), 2), [] { return kNow; }));
  providers.push_back(
      std::make_unique<HttpSmsSender>(settings_for(second.url("/sms")), [] { return kNow; }));
  domain::messaging::FailoverSmsSender failover(std::move(providers));
  auto sent = failover.send(kMessage);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kRefused);
  EXPECT_EQ(second_calls, 0);
}

TEST(HttpSmsSender, SettingsAreValidated) {
  const nlohmann::json good = {{"kind", "http"},
                               {"name", "a"},
                               {"url", "https://sms.example.com/v1"},
                               {"access_key_id", "k"},
                               {"access_key_secret", "s"},
                               {"sign_name", "Pactum"},
                               {"timeout_ms", 2000},
                               {"retries", 2}};
  auto parsed = adapters::sms::parse_http_sms_settings(good);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(parsed->retries, 2);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"url", "ftp://x"},
                                                           {"timeout_ms", 5},
                                                           {"retries", 9},
                                                           {"name", ""},
                                                           {"access_key_secret", 3},
                                                           {"extra", true}}) {
    nlohmann::json bad = good;
    bad[key] = value;
    auto refused = adapters::sms::parse_http_sms_settings(bad);
    ASSERT_FALSE(refused) << key;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }
  nlohmann::json missing = good;
  missing.erase("sign_name");
  EXPECT_FALSE(adapters::sms::parse_http_sms_settings(missing));
}

}  // namespace
}  // namespace pactum::testing

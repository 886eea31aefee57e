#include "pactum/http/router.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "pactum/http/health.h"
#include "pactum/http/request_id.h"

namespace pactum::http {
namespace {

namespace beast_http = boost::beast::http;

// fixed_ids returns a deterministic id source: "id-1", "id-2", ...
RequestIdSource fixed_ids() {
  return [next = 0]() mutable { return "id-" + std::to_string(++next); };
}

Request make_request(beast_http::verb method, std::string_view target) {
  Request request{method, target, 11};
  request.set(beast_http::field::host, "test");
  return request;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(fixed_ids()) { add_health_routes(router_); }

  Router router_;
};

TEST_F(RouterTest, HealthzAnswersOkJson) {
  const Response response = router_.handle(make_request(beast_http::verb::get, "/healthz"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), R"({"status":"ok"})");
  EXPECT_EQ(response[beast_http::field::content_type], "application/json");
  EXPECT_EQ(response[beast_http::field::content_length], "15");
  EXPECT_EQ(response[kRequestIdHeader], "id-1");
  EXPECT_TRUE(response.keep_alive());
  EXPECT_EQ(response.version(), 11U);
}

TEST_F(RouterTest, QueryStringDoesNotChangeTheRoute) {
  const Response response = router_.handle(make_request(beast_http::verb::get, "/healthz?x=1"));
  EXPECT_EQ(response.result(), Status::ok);
}

TEST_F(RouterTest, UnknownPathIs404WithJsonError) {
  const Response response = router_.handle(make_request(beast_http::verb::get, "/nope"));
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response[beast_http::field::content_type], "application/json");
  const auto body = nlohmann::json::parse(response.body());
  ASSERT_TRUE(body.contains("error"));
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_TRUE(body["error"]["message"].is_string());
  EXPECT_EQ(body["error"]["request_id"], "id-1");
  EXPECT_EQ(response[kRequestIdHeader], "id-1");
  EXPECT_EQ(body["error"].size(), 3U);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  const Response response = router_.handle(make_request(beast_http::verb::post, "/healthz"));
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[beast_http::field::allow], "GET");
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "method_not_allowed");
  EXPECT_EQ(body["error"]["request_id"], response[kRequestIdHeader]);
}

TEST_F(RouterTest, AllowListsEveryMethodOfThePath) {
  router_.add(beast_http::verb::put, "/healthz", [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "{}");
  });
  const Response response = router_.handle(make_request(beast_http::verb::delete_, "/healthz"));
  EXPECT_EQ(response[beast_http::field::allow], "GET, PUT");
}

TEST_F(RouterTest, EchoesAWellFormedRequestId) {
  Request request = make_request(beast_http::verb::get, "/healthz");
  const std::string incoming = "Abc-123-" + std::string(56, 'z');  // exactly 64 characters
  request.set(kRequestIdHeader, incoming);
  EXPECT_EQ(router_.handle(request)[kRequestIdHeader], incoming);

  Request missing = make_request(beast_http::verb::get, "/missing");
  missing.set(kRequestIdHeader, "client-id-7");
  const Response response = router_.handle(missing);
  EXPECT_EQ(response[kRequestIdHeader], "client-id-7");
  EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["request_id"], "client-id-7");
}

TEST_F(RouterTest, ReplacesAMalformedRequestId) {
  for (const std::string& bad : {std::string(65, 'a'), std::string("has space"),
                                 std::string("semi;colon"), std::string("uni\xc3\xa9")}) {
    Request request = make_request(beast_http::verb::get, "/healthz");
    request.set(kRequestIdHeader, bad);
    const Response response = router_.handle(request);
    EXPECT_NE(response[kRequestIdHeader], bad);
    EXPECT_TRUE(response[kRequestIdHeader].starts_with("id-"));
  }
}

TEST_F(RouterTest, MirrorsVersionAndKeepAlive) {
  Request request = make_request(beast_http::verb::get, "/healthz");
  request.version(10);
  const Response old_client = router_.handle(request);
  EXPECT_EQ(old_client.version(), 10U);
  EXPECT_FALSE(old_client.keep_alive());

  Request closing = make_request(beast_http::verb::get, "/healthz");
  closing.keep_alive(false);
  EXPECT_FALSE(router_.handle(closing).keep_alive());
}

TEST_F(RouterTest, HandlerThatThrowsBecomes500) {
  router_.add(beast_http::verb::get, "/boom",
              [](const Request&, const RequestContext&) -> Response {
                throw std::runtime_error("database gone");
              });
  const Response response = router_.handle(make_request(beast_http::verb::get, "/boom"));
  EXPECT_EQ(response.result(), Status::internal_server_error);
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body["error"]["message"].get<std::string>().find("database"), std::string::npos);
}

TEST_F(RouterTest, HandlerSeesTheRequestId) {
  router_.add(beast_http::verb::get, "/whoami", [](const Request&, const RequestContext& context) {
    return json_response(Status::ok, std::string(context.request_id));
  });
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/whoami")).body(), "id-1");
}

TEST_F(RouterTest, RejectClosesAndCarriesAFreshId) {
  const Response response = router_.reject(Status::payload_too_large, "body_too_large", "too big");
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_FALSE(response.keep_alive());
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "body_too_large");
  EXPECT_EQ(body["error"]["request_id"], "id-1");
  EXPECT_EQ(response[kRequestIdHeader], "id-1");
}

TEST(RequestIdTest, Validity) {
  EXPECT_TRUE(is_valid_request_id("a"));
  EXPECT_TRUE(is_valid_request_id("0123-abcd-XYZ"));
  EXPECT_TRUE(is_valid_request_id(std::string(64, '9')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(65, '9')));
  EXPECT_FALSE(is_valid_request_id("a_b"));
  EXPECT_FALSE(is_valid_request_id("a\r\nX-Evil: 1"));
}

TEST(RequestIdTest, RandomIdsAreSixteenHexDigits) {
  const RequestIdSource ids = random_request_ids();
  const std::string first = ids();
  const std::string second = ids();
  EXPECT_EQ(first.size(), 16U);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace pactum::http

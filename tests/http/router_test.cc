#include "pactum/http/router.h"

#include <any>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

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
  RequestContext context;
  const Response response = router_.reject(context, ErrorKind::kBodyTooLarge, "too big");
  EXPECT_EQ(context.request_id, "id-1");
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_FALSE(response.keep_alive());
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "body_too_large");
  EXPECT_EQ(body["error"]["request_id"], "id-1");
  EXPECT_EQ(response[kRequestIdHeader], "id-1");
}

TEST_F(RouterTest, PatternsBindPathParameters) {
  router_.add(beast_http::verb::get, "/contracts/{id}/parties/{party}",
              [](const Request&, const RequestContext& context) {
                return json_response(Status::ok, std::string(*context.path_param("id")) + "|" +
                                                     std::string(*context.path_param("party")));
              });
  RequestContext context;
  const Response response =
      router_.handle(make_request(beast_http::verb::get, "/contracts/c%2042/parties/p1?x=1"),
                     context);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), "c 42|p1");
  EXPECT_EQ(context.route, "/contracts/{id}/parties/{party}");
  EXPECT_EQ(context.path_param("nope"), std::nullopt);

  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/contracts//parties/p1")).result(),
            Status::not_found);
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/contracts/c/parties")).result(),
            Status::not_found);
  EXPECT_EQ(
      router_.handle(make_request(beast_http::verb::get, "/contracts/c/parties/p/x")).result(),
      Status::not_found);
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  const auto answer = [](std::string text) {
    return [text](const Request&, const RequestContext&) {
      return json_response(Status::ok, text);
    };
  };
  router_.add(beast_http::verb::get, "/c/{id}", answer("param"));
  router_.add(beast_http::verb::get, "/c/search", answer("literal"));
  router_.add(beast_http::verb::get, "/c/{id}/x", answer("param-x"));
  router_.add(beast_http::verb::get, "/{any}/{id}/x", answer("any-x"));
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/c/search")).body(), "literal");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/c/7")).body(), "param");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/c/7/x")).body(), "param-x");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/d/7/x")).body(), "any-x");
}

TEST_F(RouterTest, TraversalInPathParametersIs400) {
  router_.add(beast_http::verb::get, "/blobs/{id}", [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "{}");
  });
  for (const char* target : {"/blobs/..", "/blobs/.", "/blobs/%2e%2e", "/blobs/a%2Fb",
                             "/blobs/a%5cb", "/blobs/%00", "/blobs/a%0d%0a", "/blobs/%zz"}) {
    const Response response = router_.handle(make_request(beast_http::verb::get, target));
    EXPECT_EQ(response.result(), Status::bad_request) << target;
    EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "bad_request");
  }
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/blobs/a..b")).result(),
            Status::ok);
}

TEST_F(RouterTest, ARestSegmentTakesTheRawRestOfThePath) {
  router_.add(beast_http::verb::get, "/ocsp/{request...}",
              [](const Request&, const RequestContext& context) {
                return json_response(Status::ok, std::string(*context.path_param("request")));
              });
  router_.add(beast_http::verb::get, "/ocsp/status", [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "literal");
  });
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/ocsp/MEow%2FAb%3D?x")).body(),
            "MEow%2FAb%3D");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/ocsp/ME//ow/Ab=")).body(),
            "ME//ow/Ab=");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/ocsp/status")).body(), "literal");
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/ocsp/")).result(),
            Status::not_found);
  EXPECT_EQ(router_.handle(make_request(beast_http::verb::get, "/ocsp")).result(),
            Status::not_found);
}

TEST_F(RouterTest, MalformedPatternsAreRefused) {
  const Handler ok = [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "{}");
  };
  EXPECT_THROW(router_.add(beast_http::verb::get, "no-slash", ok), std::invalid_argument);
  EXPECT_THROW(router_.add(beast_http::verb::get, "/a/{}", ok), std::invalid_argument);
  EXPECT_THROW(router_.add(beast_http::verb::get, "/a/x{id}", ok), std::invalid_argument);
  EXPECT_THROW(router_.add(beast_http::verb::get, "/a/{id}/{id}", ok), std::invalid_argument);
  EXPECT_THROW(router_.add(beast_http::verb::get, "/a/{rest...}/b", ok), std::invalid_argument);
  EXPECT_THROW(router_.add(beast_http::verb::get, "/a/{...}", ok), std::invalid_argument);
}

TEST_F(RouterTest, MiddlewareRunsInOrderAndFillsTheContext) {
  std::vector<std::string> order;
  router_.use([&order](const Request&, RequestContext& context) -> std::optional<Response> {
    order.push_back("global:" + std::string(context.route));
    return std::nullopt;
  });
  const Middleware authenticate = [&order](const Request& request,
                                           RequestContext& context) -> std::optional<Response> {
    order.emplace_back("route");
    if (request["Authorization"] != "Bearer good") {
      return error_response(context, ErrorKind::kUnauthorized, "who are you?");
    }
    context.principal = 42;
    context.actor = "user:42";
    return std::nullopt;
  };
  router_.add(
      beast_http::verb::get, "/me",
      [](const Request&, const RequestContext& context) {
        return json_response(Status::ok, std::to_string(std::any_cast<int>(context.principal)));
      },
      {authenticate});

  Request anonymous = make_request(beast_http::verb::get, "/me");
  RequestContext refused_context;
  const Response refused = router_.handle(anonymous, refused_context);
  EXPECT_EQ(refused.result(), Status::unauthorized);
  const auto body = nlohmann::json::parse(refused.body());
  EXPECT_EQ(body["error"]["code"], "unauthorized");
  EXPECT_EQ(body["error"]["request_id"], refused[kRequestIdHeader]);
  EXPECT_TRUE(refused_context.actor.empty());

  Request signed_in = make_request(beast_http::verb::get, "/me");
  signed_in.set("Authorization", "Bearer good");
  RequestContext context;
  const Response accepted = router_.handle(signed_in, context);
  EXPECT_EQ(accepted.result(), Status::ok);
  EXPECT_EQ(accepted.body(), "42");
  EXPECT_EQ(context.actor, "user:42");
  EXPECT_EQ(order, (std::vector<std::string>{"global:/me", "route", "global:/me", "route"}));

  // Neither 404 nor 405 reach middleware.
  (void)router_.handle(make_request(beast_http::verb::get, "/nowhere"));
  (void)router_.handle(make_request(beast_http::verb::post, "/me"));
  EXPECT_EQ(order.size(), 4U);
}

TEST_F(RouterTest, MiddlewareThatThrowsBecomes500AndIsLogged) {
  std::vector<std::string> logged;
  router_.set_error_log([&logged](std::string_view line) { logged.emplace_back(line); });
  router_.use([](const Request&, RequestContext&) -> std::optional<Response> {
    throw std::runtime_error("session store gone");
  });
  const Response response = router_.handle(make_request(beast_http::verb::get, "/healthz"));
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "internal");
  ASSERT_EQ(logged.size(), 1U);
  EXPECT_NE(logged.at(0).find("session store gone"), std::string::npos);
  EXPECT_NE(logged.at(0).find("id-1"), std::string::npos);
}

TEST_F(RouterTest, PatternsAreListedInOrder) {
  router_.add(beast_http::verb::get, "/b/{x}", [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "{}");
  });
  EXPECT_EQ(router_.patterns(), (std::vector<std::string_view>{"/healthz", "/b/{x}"}));
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

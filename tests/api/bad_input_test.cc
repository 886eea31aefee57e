// Bad input through the REST API: malformed JSON, wrong content types and field types, SQL
// metacharacters in every string field, path tricks, missing CSRF tokens, and replayed, expired
// or altered API signatures. Each is a clear 4xx, and the database survives.

#include <gtest/gtest.h>

#include "api_fixture.h"

namespace pactum::testing {
namespace {

using boost::beast::http::verb;

class BadInputTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    owner_ = login("owner@example.com");
    Reply made = call(verb::post, "/api/v1/enterprises", R"({"name":"Acme"})", owner_);
    ASSERT_EQ(made.status, 201U);
    ent_ = made.body.value("id", "");
    Reply app = call(verb::post, "/api/v1/enterprises/" + ent_ + "/apps",
                     R"({"name":"Bot","scopes":["enterprise:read","members:write"]})", owner_);
    ASSERT_EQ(app.status, 201U);
    app_.app_id = app.body["app"].value("id", "");
    app_.app_secret = app.body.value("secret", "");
  }

  // The POST bodies of every endpoint that takes one, with the string fields each has.
  std::vector<std::pair<std::string, std::vector<std::string>>> bodies() const {
    const std::string e = "/api/v1/enterprises/" + ent_;
    return {
        {"/api/v1/auth/sign-up", {"login", "name", "password", "id_number"}},
        {"/api/v1/auth/login", {"login", "password"}},
        {"/api/v1/enterprises", {"name"}},
        {e + "/subsidiaries", {"name"}},
        {e + "/members", {"login", "name", "password", "id_number", "role", "department_id"}},
        {e + "/departments", {"name"}},
        {e + "/apps", {"name"}},
    };
  }

  Credentials owner_, app_;
  std::string ent_;
};

TEST_P(BadInputTest, MalformedJsonWrongTypesAndContentTypes) {
  for (const auto& [path, fields] : bodies()) {
    const std::string before = snapshot();
    EXPECT_EQ(call(verb::post, path, "{\"name\": ", owner_).code(), "malformed_json") << path;
    EXPECT_EQ(call(verb::post, path, "", owner_).code(), "malformed_json") << path;
    EXPECT_EQ(call(verb::post, path, "[1,2]", owner_).code(), "invalid_argument") << path;
    EXPECT_EQ(call(verb::post, path, R"({"name": 5, "login": [], "password": {}})", owner_)
                  .code(),
              "invalid_argument")
        << path;
    Reply form = call(verb::post, path, "name=x", owner_,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(form.status, 415U) << path;
    EXPECT_EQ(form.code(), "unsupported_media_type");
    EXPECT_EQ(snapshot(), before) << path;
  }
}

TEST_P(BadInputTest, SqlMetacharactersInEveryStringField) {
  const std::vector<std::string> nasty = {
      "'; DROP TABLE users; --", "\" OR 1=1 --", "x') OR ('1'='1", "%_\\", "\\'; DELETE FROM audit_log; --",
      "Robert'); DROP TABLE members;--@example.com"};
  for (const auto& [path, fields] : bodies()) {
    for (const std::string& field : fields) {
      for (const std::string& value : nasty) {
        nlohmann::json body = {{"login", "sql" + std::to_string(nonces_++) + "@example.com"},
                               {"name", "Name"},
                               {"password", "password-123"},
                               {"scopes", {"enterprise:read"}}};
        body[field] = value;
        Reply reply = call(verb::post, path, body.dump(), owner_);
        EXPECT_LT(reply.status, 500U) << path << " " << field << ": " << reply.raw.body();
      }
    }
  }
  // Everything still there, and a value with quotes round-trips as text.
  EXPECT_GT(count("users"), 0);
  EXPECT_GT(count("audit_log"), 0);
  Reply dept = call(verb::post, "/api/v1/enterprises/" + ent_ + "/departments",
                    R"({"name":"O'Brien \"Legal\"; --"})", owner_);
  ASSERT_EQ(dept.status, 201U);
  EXPECT_EQ(dept.body.value("name", ""), "O'Brien \"Legal\"; --");
  for (const std::string query : {"?actor=%27%20OR%201%3D1--", "?action='", "?object_id=%25",
                                   "?limit=1%3B", "?from_us=abc"}) {
    Reply reply = call(verb::get, "/api/v1/enterprises/" + ent_ + "/audit" + query, std::nullopt,
                       owner_);
    EXPECT_LT(reply.status, 500U) << query;
    if (reply.status == 200U) {
      EXPECT_TRUE(reply.body["items"].empty()) << query;
    }
  }
}

TEST_P(BadInputTest, PathTricksInIds) {
  for (const std::string id : {"..%2F..%2Fetc%2Fpasswd", "%2e%2e", "ent%00x", "' OR '1'='1",
                                "ent_x%5C..%5C"}) {
    Reply reply = call(verb::get, "/api/v1/enterprises/" + id + "/members", std::nullopt, owner_);
    EXPECT_TRUE(reply.status == 400U || reply.status == 404U) << id << ": " << reply.status;
  }
}

TEST_P(BadInputTest, StateChangesNeedTheCsrfToken) {
  Credentials no_csrf = owner_;
  no_csrf.csrf_token = "";
  const std::string before = snapshot();
  Reply reply = call(verb::post, "/api/v1/enterprises", R"({"name":"CSRF"})", no_csrf);
  EXPECT_EQ(reply.status, 403U);
  Credentials wrong = owner_;
  wrong.csrf_token = std::string(64, 'a');
  EXPECT_EQ(call(verb::post, "/api/v1/enterprises", R"({"name":"CSRF"})", wrong).status, 403U);
  EXPECT_EQ(snapshot(), before);
  // Reads need no CSRF token.
  EXPECT_EQ(call(verb::get, "/api/v1/me", std::nullopt, no_csrf).status, 200U);
}

TEST_P(BadInputTest, ReplayedExpiredAndAlteredSignatures) {
  const std::string path = "/api/v1/enterprises/" + ent_ + "/departments";
  auto signed_request = [&](std::int64_t skew, const std::string& nonce) {
    http::Request request{verb::post, path, 11};
    request.body() = R"({"name":"Signed"})";
    request.set(boost::beast::http::field::content_type, "application/json");
    sign(request, app_, skew, nonce);
    request.prepare_payload();
    return request;
  };
  auto send = [&](const http::Request& request) {
    http::RequestContext context;
    context.client_address = "192.0.2.50";
    http::Response response = router_.handle(request, context);
    return std::pair(response.result_int(),
                     nlohmann::json::parse(response.body(), nullptr, false));
  };
  const auto first = signed_request(0, "bench-nonce-00000001");
  EXPECT_EQ(send(first).first, 201U);
  const std::string before = snapshot();
  auto [replay_status, replay_body] = send(first);
  EXPECT_EQ(replay_status, 401U);
  EXPECT_NE(replay_body["error"]["message"].get<std::string>().find("nonce"), std::string::npos);
  EXPECT_EQ(send(signed_request(-301, "bench-nonce-00000002")).first, 401U);
  EXPECT_EQ(send(signed_request(+301, "bench-nonce-00000003")).first, 401U);
  auto altered = signed_request(0, "bench-nonce-00000004");
  altered.body() = R"({"name":"Altered"})";
  altered.prepare_payload();
  EXPECT_EQ(send(altered).first, 401U);
  auto missing = signed_request(0, "bench-nonce-00000005");
  missing.erase(domain::kNonceHeader);
  EXPECT_EQ(send(missing).first, 401U);
  auto bad_nonce = signed_request(0, "x");
  EXPECT_EQ(send(bad_nonce).first, 401U);
  auto unknown_app = signed_request(0, "bench-nonce-00000006");
  unknown_app.set(domain::kAppIdHeader, "app_doesnotexist");
  EXPECT_EQ(send(unknown_app).first, 401U);
  EXPECT_EQ(snapshot(), before);
}

TEST_P(BadInputTest, UnknownRoleAndScopeNames) {
  Reply role = call(verb::post, "/api/v1/enterprises/" + ent_ + "/members",
                    R"({"login":"x@example.com","name":"X","password":"password-123","role":"root"})",
                    owner_);
  EXPECT_EQ(role.status, 400U);
  Reply scope = call(verb::post, "/api/v1/enterprises/" + ent_ + "/apps",
                     R"({"name":"Bot","scopes":["admin"]})", owner_);
  EXPECT_EQ(scope.status, 400U);
  Reply scopes_type = call(verb::post, "/api/v1/enterprises/" + ent_ + "/apps",
                           R"({"name":"Bot","scopes":"enterprise:read"})", owner_);
  EXPECT_EQ(scopes_type.status, 400U);
}

INSTANTIATE_TEST_SUITE_P(Engines, BadInputTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

#pragma once

// The REST API driven through the Router as a pure function (no socket), on a migrated database
// of each engine: helpers to log in, to call with a session (cookie + CSRF header) or as an API
// app (HMAC-signed), and to snapshot every table to prove a refusal changed nothing.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain_fixture.h"
#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/verify_routes.h"
#include "pactum/domain/request_signature.h"
#include "pactum/http/router.h"

namespace pactum::testing {

// Credentials say how a call authenticates: nothing, a session, or an app.
struct Credentials {
  std::string session_token;
  std::string csrf_token;
  std::string app_id;
  std::string app_secret;
};

struct Reply {
  unsigned status = 0;
  nlohmann::json body;
  http::Response raw;

  [[nodiscard]] std::string code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
};

class ApiTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    api::add_api_routes(router_, services());
    api::add_verify_route(router_, {});
  }

  // call sends one request through the router.
  Reply call(boost::beast::http::verb method, const std::string& target,
             const std::optional<std::string>& body = std::nullopt, const Credentials& who = {},
             std::map<std::string, std::string> headers = {}) {
    http::Request request{method, target, 11};
    if (body) {
      request.body() = *body;
      if (!headers.contains("Content-Type")) {
        request.set(boost::beast::http::field::content_type, "application/json");
      }
    }
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    if (!who.session_token.empty()) {
      request.set(boost::beast::http::field::cookie,
                  std::string(api::kSessionCookie) + "=" + who.session_token);
      request.set(api::kCsrfHeader, who.csrf_token);
    }
    if (!who.app_id.empty()) {
      sign(request, who);
    }
    request.prepare_payload();
    http::RequestContext context;
    context.client_address = origin_.client_address;
    Reply reply;
    reply.raw = router_.handle(request, context);
    reply.status = static_cast<unsigned>(reply.raw.result_int());
    reply.body = nlohmann::json::parse(reply.raw.body(), nullptr, false);
    return reply;
  }

  // sign adds the X-Pactum-* headers for who's app at the fixture's clock, with a fresh nonce.
  void sign(http::Request& request, const Credentials& who, std::int64_t skew = 0,
            std::optional<std::string> nonce = std::nullopt) {
    const std::string target(request.target());
    const auto q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    const std::string timestamp = std::to_string(unix_seconds(now_) + skew);
    const std::string used_nonce = nonce.value_or(fmt::format("test-nonce-{:08}", ++nonces_));
    const std::string method(request.method_string());
    auto signature = domain::sign_request(who.app_secret, {.method = method,
                                                           .path = path,
                                                           .raw_query = query,
                                                           .timestamp = timestamp,
                                                           .nonce = used_nonce,
                                                           .body = request.body()});
    EXPECT_TRUE(signature);
    request.set(domain::kAppIdHeader, who.app_id);
    request.set(domain::kTimestampHeader, timestamp);
    request.set(domain::kNonceHeader, used_nonce);
    request.set(domain::kSignatureHeader, signature.value_or(""));
  }

  // login signs up (if needed) and logs in through the API; returns the session credentials.
  Credentials login(const std::string& login_name, const std::string& password = "password-123") {
    call(boost::beast::http::verb::post, "/api/v1/auth/sign-up",
         nlohmann::json{
             {"login", login_name}, {"name", "Person " + login_name}, {"password", password}}
             .dump());
    Reply reply = call(boost::beast::http::verb::post, "/api/v1/auth/login",
                       nlohmann::json{{"login", login_name}, {"password", password}}.dump());
    EXPECT_EQ(reply.status, 200U) << reply.raw.body();
    Credentials who;
    for (const auto& field : reply.raw) {
      if (field.name() != boost::beast::http::field::set_cookie) {
        continue;
      }
      const std::string value(field.value());
      const std::string prefix = std::string(api::kSessionCookie) + "=";
      if (value.starts_with(prefix)) {
        who.session_token = value.substr(prefix.size(), value.find(';') - prefix.size());
      }
    }
    who.csrf_token = reply.body.value("csrf_token", "");
    EXPECT_FALSE(who.session_token.empty());
    return who;
  }

  // snapshot returns every row of every domain table as text, to compare before and after.
  std::string snapshot() {
    std::string out;
    auto lease = database().acquire();
    EXPECT_TRUE(lease);
    for (const char* table :
         {"users", "sessions", "enterprises", "departments", "members", "api_apps", "audit_log"}) {
      auto rows = (*lease)->query(std::string("SELECT * FROM ") + table + " ORDER BY 1");
      EXPECT_TRUE(rows);
      out += std::string(table) + ":" + std::to_string(rows ? rows->size() : 0) + "\n";
      for (const auto& row : rows.value_or(std::vector<store::Row>{})) {
        for (const auto& value : row.values()) {
          if (const auto* s = std::get_if<std::string>(&value)) {
            out += *s;
          } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
            out += std::to_string(*n);
          } else if (const auto* b = std::get_if<Bytes>(&value)) {
            out += to_hex(*b);
          }
          out += "|";
        }
        out += "\n";
      }
    }
    return out;
  }

  http::Router router_;
  int nonces_ = 0;
};

}  // namespace pactum::testing

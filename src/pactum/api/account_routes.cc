#include <fmt/format.h>

#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/error_status.h"
#include "pactum/api/json_fields.h"
#include "pactum/api/render.h"
#include "pactum/domain/accounts.h"

namespace pactum::api {
namespace {

namespace beast_http = boost::beast::http;
using beast_http::verb;

// session_cookies returns the Set-Cookie values for a new session: the token HttpOnly, the CSRF
// token readable by the page; both SameSite=Lax, Secure when the request came over TLS.
std::pair<std::string, std::string> session_cookies(const http::RequestContext& context,
                                                    const domain::SessionGrant& grant,
                                                    std::chrono::seconds lifetime) {
  const std::string attributes = fmt::format("Path=/; Max-Age={}; SameSite=Lax{}", lifetime.count(),
                                             context.secure ? "; Secure" : "");
  return {fmt::format("{}={}; {}; HttpOnly", kSessionCookie, grant.token, attributes),
          fmt::format("{}={}; {}", kCsrfCookie, grant.csrf_token, attributes)};
}

http::Response sign_up(const domain::Services& services, const http::Request& request,
                       const http::RequestContext& context) {
  auto body = read_object(request, context);
  if (!body) {
    return std::move(body.error());
  }
  auto login = required_string(*body, "login", context);
  auto name = required_string(*body, "name", context);
  auto password = required_string(*body, "password", context);
  auto id_number = optional_string(*body, "id_number", context);
  for (auto* bad : {&login, &name, &password}) {
    if (!*bad) {
      return std::move(bad->error());
    }
  }
  if (!id_number) {
    return std::move(id_number.error());
  }
  auto user = domain::sign_up(services, {*login, *name, *password, *id_number}, origin_of(context));
  if (!user) {
    return domain_error_response(context, user.error());
  }
  return http::json_value_response(http::Status::created, to_json(*user));
}

http::Response log_in(const domain::Services& services, const http::Request& request,
                      const http::RequestContext& context) {
  auto body = read_object(request, context);
  if (!body) {
    return std::move(body.error());
  }
  auto login = required_string(*body, "login", context);
  auto password = required_string(*body, "password", context);
  if (!login) {
    return std::move(login.error());
  }
  if (!password) {
    return std::move(password.error());
  }
  auto grant = domain::log_in(services, *login, *password, origin_of(context));
  if (!grant) {
    return domain_error_response(context, grant.error());
  }
  http::Response response = http::json_value_response(
      http::Status::ok, {{"user", to_json(grant->user)},
                         {"csrf_token", grant->csrf_token},
                         {"expires_at", unix_seconds(grant->expires_at)}});
  const auto [session, csrf] = session_cookies(context, *grant, services.session_lifetime);
  response.insert(beast_http::field::set_cookie, session);
  response.insert(beast_http::field::set_cookie, csrf);
  return response;
}

http::Response log_out(const domain::Services& services, const http::RequestContext& context) {
  const Principal* principal = principal_of(context);
  if (auto done = domain::log_out(services, principal->session_token, origin_of(context)); !done) {
    return domain_error_response(context, done.error());
  }
  http::Response response = http::json_value_response(http::Status::ok, {{"logged_out", true}});
  for (const std::string_view name : {kSessionCookie, kCsrfCookie}) {
    response.insert(beast_http::field::set_cookie,
                    fmt::format("{}=; Path=/; Max-Age=0; SameSite=Lax", name));
  }
  return response;
}

http::Response me(const domain::Services& services, const http::RequestContext& context) {
  auto found = domain::get_me(services, principal_of(context)->actor);
  if (!found) {
    return domain_error_response(context, found.error());
  }
  return http::json_value_response(
      http::Status::ok,
      {{"user", to_json(found->first)}, {"memberships", to_json_array(found->second)}});
}

}  // namespace

void add_account_routes(http::Router& router, const domain::Services& services) {
  const auto& s = services;
  router.add(
      verb::post, "/api/v1/auth/sign-up",
      [&s](const http::Request& r, const http::RequestContext& c) { return sign_up(s, r, c); },
      {authentication(s, Auth::kNone)});
  router.add(
      verb::post, "/api/v1/auth/login",
      [&s](const http::Request& r, const http::RequestContext& c) { return log_in(s, r, c); },
      {authentication(s, Auth::kNone)});
  router.add(verb::post, "/api/v1/auth/logout",
             [&s](const http::Request&, const http::RequestContext& c) { return log_out(s, c); },
             {authentication(s, Auth::kSession)});
  router.add(verb::get, "/api/v1/me",
             [&s](const http::Request&, const http::RequestContext& c) { return me(s, c); },
             {authentication(s, Auth::kSession)});
}

}  // namespace pactum::api

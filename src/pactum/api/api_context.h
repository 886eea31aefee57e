#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pactum/domain/principal.h"
#include "pactum/domain/services.h"
#include "pactum/http/message.h"
#include "pactum/http/request_context.h"
#include "pactum/http/router.h"

namespace pactum::api {

// kSessionCookie holds the session token (HttpOnly); kCsrfCookie holds the CSRF token in a
// cookie a browser page may read, to echo it in kCsrfHeader on every state-changing request.
inline constexpr std::string_view kSessionCookie = "pactum_session";
inline constexpr std::string_view kCsrfCookie = "pactum_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// Principal is what the authentication middleware leaves in RequestContext::principal.
struct Principal {
  domain::Actor actor;
  std::string session_token;  // empty for an app
};

// principal_of returns the request's principal; nullptr when the request is anonymous.
const Principal* principal_of(const http::RequestContext& context);

// actor_of returns the authenticated actor; only for routes behind authentication (a session
// or an app), where the middleware guarantees a principal.
const domain::Actor& actor_of(const http::RequestContext& context);

// param returns the {name} segment of the matched route ("" if the route has none).
std::string_view param(const http::RequestContext& context, std::string_view name);

// origin_of returns where the request came from, for the audit log.
domain::Origin origin_of(const http::RequestContext& context);

// cookie_value returns the value of the cookie `name` from the request's Cookie headers.
std::optional<std::string_view> cookie_value(const http::Request& request, std::string_view name);

// Auth says which credentials a route accepts.
enum class Auth : std::uint8_t {
  kNone,          // anonymous (sign-up, log-in, the OpenAPI document)
  kSession,       // a user's session only (me, log-out, creating an enterprise)
  kSessionOrApp,  // a session or a signed API-app request
};

// authentication returns the middleware for `auth`: it finds the session (cookie) or verifies
// the app's signature (X-Pactum-* headers), fills the principal and actor, and for a session
// on a method other than GET/HEAD requires kCsrfHeader to match the session's CSRF token.
// Refusals: 401 (no, bad, expired or replayed credentials), 403 (CSRF token missing or wrong;
// an app on a session-only route).
http::Middleware authentication(const domain::Services& services, Auth auth);

}  // namespace pactum::api

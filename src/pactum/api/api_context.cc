#include "pactum/api/api_context.h"

#include <any>

#include "pactum/api/error_status.h"
#include "pactum/domain/accounts.h"
#include "pactum/domain/api_apps.h"
#include "pactum/http/url.h"

namespace pactum::api {
namespace {

namespace beast_http = boost::beast::http;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::string_view> header(const http::Request& request, std::string_view name) {
  const auto found = request.find(name);
  if (found == request.end()) {
    return std::nullopt;
  }
  return found->value();
}

bool is_safe_method(beast_http::verb method) {
  return method == beast_http::verb::get || method == beast_http::verb::head;
}

std::optional<http::Response> authenticate_session(const domain::Services& services,
                                                   const http::Request& request,
                                                   http::RequestContext& context,
                                                   std::string_view token) {
  auto session = domain::authenticate_session(services, token);
  if (!session) {
    return domain_error_response(context, session.error());
  }
  if (!is_safe_method(request.method())) {
    const auto presented = header(request, kCsrfHeader);
    if (!presented || !domain::csrf_matches(*session, *presented)) {
      return http::error_response(context, http::ErrorKind::kForbidden,
                                  "state-changing requests need the X-CSRF-Token header");
    }
  }
  context.actor = session->actor.label();
  context.principal = Principal{std::move(session->actor), std::string(token)};
  return std::nullopt;
}

std::optional<http::Response> authenticate_app(const domain::Services& services,
                                               const http::Request& request,
                                               http::RequestContext& context,
                                               std::string_view app_id) {
  const auto timestamp = header(request, domain::kTimestampHeader);
  const auto nonce = header(request, domain::kNonceHeader);
  const auto signature = header(request, domain::kSignatureHeader);
  if (!timestamp || !nonce || !signature) {
    return http::error_response(
        context, http::ErrorKind::kUnauthorized,
        "a signed request needs X-Pactum-Timestamp, X-Pactum-Nonce and X-Pactum-Signature");
  }
  const std::string_view target = request.target();
  const std::string method(request.method_string());
  const domain::SignedRequestParts parts{.method = method,
                                         .path = http::path_of(target),
                                         .raw_query = http::query_of(target),
                                         .timestamp = *timestamp,
                                         .nonce = *nonce,
                                         .body = request.body()};
  auto actor = domain::authenticate_app_request(services, app_id, parts, *signature);
  if (!actor) {
    if (actor.error().code == domain::DomainErrorCode::kInvalidInput) {
      return http::error_response(context, http::ErrorKind::kUnauthorized, actor.error().message);
    }
    return domain_error_response(context, actor.error());
  }
  context.actor = actor->label();
  context.principal = Principal{std::move(*actor), ""};
  return std::nullopt;
}

}  // namespace

const Principal* principal_of(const http::RequestContext& context) {
  return std::any_cast<Principal>(&context.principal);
}

const domain::Actor& actor_of(const http::RequestContext& context) {
  return principal_of(context)->actor;
}

std::string_view param(const http::RequestContext& context, std::string_view name) {
  return context.path_param(name).value_or("");
}

domain::Origin origin_of(const http::RequestContext& context) {
  return domain::Origin{context.client_address.empty() ? "-" : context.client_address};
}

std::optional<std::string_view> cookie_value(const http::Request& request, std::string_view name) {
  for (const auto& field : request) {
    if (field.name() != beast_http::field::cookie) {
      continue;
    }
    std::string_view rest = field.value();
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return pair.substr(eq + 1);
      }
    }
  }
  return std::nullopt;
}

http::Middleware authentication(const domain::Services& services, Auth auth) {
  return [&services, auth](const http::Request& request,
                           http::RequestContext& context) -> std::optional<http::Response> {
    if (auth == Auth::kNone) {
      return std::nullopt;
    }
    if (const auto app_id = header(request, domain::kAppIdHeader)) {
      if (auth == Auth::kSession) {
        return http::error_response(context, http::ErrorKind::kForbidden,
                                    "this endpoint is for people, not API apps");
      }
      return authenticate_app(services, request, context, *app_id);
    }
    if (const auto token = cookie_value(request, kSessionCookie)) {
      return authenticate_session(services, request, context, *token);
    }
    return http::error_response(context, http::ErrorKind::kUnauthorized,
                                "log in, or sign the request as an API app");
  };
}

}  // namespace pactum::api

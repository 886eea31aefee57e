#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/error_status.h"
#include "pactum/api/json_fields.h"
#include "pactum/api/render.h"
#include "pactum/domain/api_apps.h"

namespace pactum::api {
namespace {

using boost::beast::http::verb;

http::Response credentials_response(const http::RequestContext& context,
                                    const domain::DomainResult<domain::ApiAppCredentials>& result,
                                    http::Status status) {
  if (!result) {
    return domain_error_response(context, result.error());
  }
  // The secret is shown this once; afterwards only its sealed form exists.
  return http::json_value_response(status,
                                   {{"app", to_json(result->app)}, {"secret", result->secret}});
}

http::Response create_app(const domain::Services& s, const http::Request& request,
                          const http::RequestContext& context) {
  auto body = read_object(request, context);
  if (!body) {
    return std::move(body.error());
  }
  auto name = required_string(*body, "name", context);
  if (!name) {
    return std::move(name.error());
  }
  const auto scopes_field = body->find("scopes");
  if (scopes_field == body->end() || !scopes_field->is_array() || scopes_field->size() > 16) {
    return invalid_argument(context, "scopes must be an array of scope names");
  }
  std::vector<domain::ApiScope> scopes;
  for (const auto& item : *scopes_field) {
    const auto scope = item.is_string() ? domain::parse_scope(item.get<std::string>())
                                        : std::nullopt;
    if (!scope) {
      return invalid_argument(context,
                              "unknown scope (enterprise:read, members:write, audit:read, "
                              "contracts:read, contracts:write)");
    }
    scopes.push_back(*scope);
  }
  return credentials_response(
      context,
      domain::create_api_app(s, actor_of(context), param(context, "id"), *name,
                             scopes, origin_of(context)),
      http::Status::created);
}

}  // namespace

void add_app_routes(http::Router& router, const domain::Services& services) {
  const auto& s = services;
  const auto any = [&s] { return std::vector{authentication(s, Auth::kSessionOrApp)}; };
  router.add(verb::get, "/api/v1/enterprises/{id}/apps",
             [&s](const http::Request&, const http::RequestContext& c) {
               auto apps = domain::list_api_apps(s, actor_of(c), param(c, "id"));
               if (!apps) {
                 return domain_error_response(c, apps.error());
               }
               return http::json_value_response(http::Status::ok,
                                                {{"items", to_json_array(*apps)}});
             },
             any());
  router.add(verb::post, "/api/v1/enterprises/{id}/apps",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return create_app(s, r, c);
             },
             any());
  router.add(verb::post, "/api/v1/enterprises/{id}/apps/{app_id}/rotate-secret",
             [&s](const http::Request&, const http::RequestContext& c) {
               return credentials_response(
                   c,
                   domain::rotate_api_app_secret(s, actor_of(c), param(c, "id"),
                                                 param(c, "app_id"), origin_of(c)),
                   http::Status::ok);
             },
             any());
  router.add(verb::delete_, "/api/v1/enterprises/{id}/apps/{app_id}",
             [&s](const http::Request&, const http::RequestContext& c) {
               auto revoked = domain::revoke_api_app(s, actor_of(c), param(c, "id"),
                                                     param(c, "app_id"), origin_of(c));
               if (!revoked) {
                 return domain_error_response(c, revoked.error());
               }
               return http::json_value_response(http::Status::ok, {{"revoked", true}});
             },
             any());
}

}  // namespace pactum::api

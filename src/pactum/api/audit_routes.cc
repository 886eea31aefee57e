#include <charconv>

#include <fmt/format.h>

#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/error_status.h"
#include "pactum/api/json_fields.h"
#include "pactum/api/render.h"
#include "pactum/domain/audit_log.h"
#include "pactum/http/url.h"

namespace pactum::api {
namespace {

using boost::beast::http::verb;

// integer_parameter reads an optional decimal query parameter.
Parsed<std::optional<std::int64_t>> integer_parameter(std::string_view target,
                                                      std::string_view name,
                                                      const http::RequestContext& context) {
  const auto text = http::query_parameter(target, name);
  if (!text) {
    return std::optional<std::int64_t>();
  }
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [next, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || next != end) {
    return std::unexpected(
        invalid_argument(context, fmt::format("{} must be a decimal integer", name)));
  }
  return std::optional<std::int64_t>(value);
}

http::Response query(const domain::Services& s, const http::Request& request,
                     const http::RequestContext& context) {
  const std::string_view target = request.target();
  domain::AuditQuery q;
  q.enterprise_id = std::string(context.path_param("id").value_or(""));
  for (auto [name, field] : {std::pair{"from_us", &q.from_us}, std::pair{"to_us", &q.to_us},
                             std::pair{"after_seq", &q.after_seq}}) {
    auto value = integer_parameter(target, name, context);
    if (!value) {
      return std::move(value.error());
    }
    *field = *value;
  }
  auto limit = integer_parameter(target, "limit", context);
  if (!limit) {
    return std::move(limit.error());
  }
  q.limit = limit->value_or(100);
  q.actor = http::query_parameter(target, "actor");
  q.action = http::query_parameter(target, "action");
  q.object_id = http::query_parameter(target, "object_id");
  auto entries = domain::query_audit(s, principal_of(context)->actor, q);
  if (!entries) {
    return domain_error_response(context, entries.error());
  }
  return http::json_value_response(http::Status::ok, {{"items", to_json_array(*entries)}});
}

}  // namespace

void add_audit_routes(http::Router& router, const domain::Services& services) {
  const auto& s = services;
  router.add(verb::get, "/api/v1/enterprises/{id}/audit",
             [&s](const http::Request& r, const http::RequestContext& c) { return query(s, r, c); },
             {authentication(s, Auth::kSessionOrApp)});
}

}  // namespace pactum::api

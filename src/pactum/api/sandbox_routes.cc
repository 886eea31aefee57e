#include <fmt/chrono.h>
#include <fmt/format.h>

#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/error_status.h"
#include "pactum/api/json_fields.h"
#include "pactum/domain/messaging/outbox.h"
#include "pactum/domain/transaction.h"
#include "pactum/http/url.h"

namespace pactum::api {
namespace {

using boost::beast::http::verb;

nlohmann::json to_json(const domain::messaging::OutboxEntry& entry) {
  nlohmann::json out = {
      {"channel", domain::messaging::channel_name(entry.channel)},
      {"to", entry.to},
      {"subject", entry.subject},
      {"text", entry.text},
      {"sent_at", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                              std::chrono::floor<std::chrono::seconds>(entry.sent_at))}};
  out["link"] = entry.link.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.link);
  out["code"] = entry.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.code);
  return out;
}

http::Response outbox(const domain::Services& services, const http::Request& request,
                      const http::RequestContext& context) {
  const auto to = http::query_parameter(request.target(), "to");
  if (!to || to->empty()) {
    return invalid_argument(context, "to: required (a mobile number or e-mail address)");
  }
  auto entries = domain::with_connection(services.database, [&](store::Connection& connection) {
    return domain::messaging::list_outbox(connection, services.pii, *to);
  });
  if (!entries) {
    return domain_error_response(context, entries.error());
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : *entries) {
    out.push_back(to_json(entry));
  }
  return http::json_value_response(http::Status::ok, out);
}

}  // namespace

void add_sandbox_routes(http::Router& router, const domain::Services& services) {
  // Only a sandbox configuration has an outbox to show; anywhere else the path does not exist.
  if (services.messaging == nullptr || !services.messaging->sandbox) {
    return;
  }
  const auto& s = services;
  router.add(
      verb::get, "/api/v1/sandbox/outbox",
      [&s](const http::Request& r, const http::RequestContext& c) { return outbox(s, r, c); },
      {authentication(s, Auth::kNone)});
}

}  // namespace pactum::api

#include "pactum/http/http_metrics.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/string.hpp>

#include "pactum/http/message.h"

namespace pactum::http {

namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

constexpr unsigned kFirstStatus = 100;
constexpr unsigned kLastStatus = 599;

}  // namespace

// Slot is one (route, method) pair: its latency histogram and one counter per status seen.
struct HttpMetrics::Slot {
  std::string method;
  std::string route;
  metrics::Histogram* latency = nullptr;
  std::array<std::atomic<metrics::Counter*>, kLastStatus - kFirstStatus + 1> by_status{};
};

HttpMetrics::HttpMetrics(metrics::Registry& registry, const Router& router)
    : registry_(registry),
      in_flight_(registry.gauge("pactum_http_requests_in_flight",
                                "Requests read and not yet answered.")) {
  for (const std::string_view pattern : router.patterns()) {
    routes_.emplace(pattern, route_labels_.size());
    route_labels_.emplace_back(pattern);
  }
  route_labels_.emplace_back(kUnmatchedRoute);
  route_labels_.emplace_back(kUnroutedRoute);
  slots_ = std::make_unique<std::array<std::atomic<Slot*>, kVerbSlots>[]>(route_labels_.size());
  // Declare the error families up front so they are scraped (at 0) before the first failure.
  (void)registry_.counter("pactum_http_server_errors_total",
                          "Unexpected server failures, by kind.", {{"kind", "handler"}});
  for (const ErrorKind kind : all_error_kinds()) {
    errors_.at(static_cast<std::size_t>(kind)) = &registry_.counter(
        "pactum_http_errors_total", "Error responses, by their JSON error code.",
        {{"code", std::string(error_info(kind).code)}});
  }
}

HttpMetrics::~HttpMetrics() = default;

HttpMetrics::Slot& HttpMetrics::slot(std::size_t route_index, beast_http::verb method) {
  auto verb_index = static_cast<std::size_t>(method);
  if (verb_index >= kVerbSlots) {
    verb_index = static_cast<std::size_t>(beast_http::verb::unknown);
  }
  std::atomic<Slot*>& cell = slots_[route_index].at(verb_index);
  if (Slot* existing = cell.load(std::memory_order_acquire)) {
    return *existing;
  }
  const std::lock_guard lock(creating_);
  if (Slot* existing = cell.load(std::memory_order_acquire)) {
    return *existing;
  }
  Slot& fresh = owned_.emplace_back();
  fresh.method = method == beast_http::verb::unknown ? "other"
                                                      : std::string(beast_http::to_string(method));
  fresh.route = route_labels_.at(route_index);
  fresh.latency = &registry_.histogram(
      "pactum_http_request_duration_seconds",
      "Time from a request fully read to its response written, by method and route.",
      metrics::kLatencyBuckets, {{"method", fresh.method}, {"route", fresh.route}});
  cell.store(&fresh, std::memory_order_release);
  return fresh;
}

void HttpMetrics::started() noexcept { in_flight_.add(1); }

void HttpMetrics::finished(beast_http::verb method, std::string_view route, unsigned status,
                           std::chrono::nanoseconds duration) {
  in_flight_.add(-1);
  std::size_t route_index = route_labels_.size() - 2;  // unmatched
  if (route == kUnroutedRoute) {
    route_index = route_labels_.size() - 1;
  } else if (const auto found = routes_.find(route); found != routes_.end()) {
    route_index = found->second;
  }
  Slot& target = slot(route_index, method);
  target.latency->observe(std::chrono::duration<double>(duration).count());

  if (status < kFirstStatus || status > kLastStatus) {
    return;  // not an HTTP status we send; nothing sensible to label it with
  }
  std::atomic<metrics::Counter*>& cell = target.by_status.at(status - kFirstStatus);
  metrics::Counter* counter = cell.load(std::memory_order_acquire);
  if (counter == nullptr) {
    const std::lock_guard lock(creating_);
    counter = &registry_.counter(
        "pactum_http_requests_total", "Requests answered, by method, route and status.",
        {{"method", target.method}, {"route", target.route}, {"status", std::to_string(status)}});
    cell.store(counter, std::memory_order_release);
  }
  counter->increment();
}

void HttpMetrics::server_error(std::string_view kind) {
  registry_
      .counter("pactum_http_server_errors_total", "Unexpected server failures, by kind.",
               {{"kind", std::string(kind)}})
      .increment();
}

void HttpMetrics::error(ErrorKind kind) noexcept {
  const auto index = static_cast<std::size_t>(kind);
  if (index < errors_.size()) {
    errors_[index]->increment();
  }
}

bool is_loopback_address(std::string_view address) {
  if (address == "::1") {
    return true;
  }
  constexpr std::string_view kMapped = "::ffff:";
  if (address.size() > kMapped.size() &&
      std::equal(kMapped.begin(), kMapped.end(), address.begin(), [](char wanted, char given) {
        return std::tolower(static_cast<unsigned char>(given)) == wanted;
      })) {
    address.remove_prefix(kMapped.size());
  }
  boost::system::error_code error;
  const auto v4 = boost::asio::ip::make_address_v4(std::string(address), error);
  return !error && v4.is_loopback();
}

namespace {

// same_token compares in time that depends only on the lengths, not on where they differ.
bool same_token(std::string_view given, std::string_view expected) {
  if (expected.empty()) {
    return false;
  }
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

std::optional<Response> check_metrics_access(const MetricsAccess& access, const Request& request,
                                             const RequestContext& context) {
  if (!access.token) {
    if (is_loopback_address(context.client_address)) {
      return std::nullopt;
    }
    return error_response(context, ErrorKind::kForbidden,
                          "metrics are served to loopback clients only (or set metrics_token)");
  }
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view header = request[beast_http::field::authorization];
  if (header.size() <= kBearer.size() || !beast::iequals(header.substr(0, kBearer.size()), kBearer)) {
    Response refused = error_response(context, ErrorKind::kUnauthorized,
                                      "metrics need Authorization: Bearer <metrics_token>");
    refused.set(beast_http::field::www_authenticate, R"(Bearer realm="metrics")");
    return refused;
  }
  if (!same_token(header.substr(kBearer.size()), *access.token)) {
    return error_response(context, ErrorKind::kForbidden, "wrong metrics token");
  }
  return std::nullopt;
}

}  // namespace

void add_metrics_route(Router& router, const metrics::Registry& registry, MetricsAccess access) {
  router.add(beast_http::verb::get, "/metrics",
             [&registry](const Request& /*request*/, const RequestContext& /*context*/) {
               Response response{Status::ok, 11};
               response.set(beast_http::field::content_type,
                            "text/plain; version=0.0.4; charset=utf-8");
               response.body() = registry.render();
               return response;
             },
             {[access = std::move(access)](const Request& request,
                                           RequestContext& context) -> std::optional<Response> {
               return check_metrics_access(access, request, context);
             }});
}

}  // namespace pactum::http

#include "pactum/http/http_metrics.h"

#include <utility>

namespace pactum::http {

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
  // Declare the error family up front so it is scraped (at 0) before the first failure.
  (void)registry_.counter("pactum_http_server_errors_total",
                          "Unexpected server failures, by kind.", {{"kind", "handler"}});
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

void add_metrics_route(Router& router, const metrics::Registry& registry) {
  router.add(beast_http::verb::get, "/metrics",
             [&registry](const Request& /*request*/, const RequestContext& /*context*/) {
               Response response{Status::ok, 11};
               response.set(beast_http::field::content_type,
                            "text/plain; version=0.0.4; charset=utf-8");
               response.body() = registry.render();
               return response;
             });
}

}  // namespace pactum::http

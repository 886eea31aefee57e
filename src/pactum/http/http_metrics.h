#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pactum/base/metrics.h"
#include "pactum/http/router.h"

namespace pactum::http {

// kUnmatchedRoute and kUnroutedRoute are the route labels of requests that matched no pattern
// (404) and of requests refused before routing (limits, not HTTP, timeouts). Real patterns
// start with '/', so they cannot collide.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";
inline constexpr std::string_view kUnroutedRoute = "unrouted";

// HttpMetrics records what the server does into a metrics::Registry:
//   pactum_http_requests_total{method,route,status}         counter
//   pactum_http_request_duration_seconds{method,route}      histogram (read to response written)
//   pactum_http_requests_in_flight                          gauge
//   pactum_http_server_errors_total{kind}                   counter (handler threw, connection
//                                                           or accept failed)
// `route` is the matched pattern, never the raw path, so ids in paths do not explode the
// series count. After a series' first use, recording is lock-free: the route is looked up in a
// map fixed at construction, the series through atomic pointers.
class HttpMetrics {
 public:
  // HttpMetrics prepares a slot for each of `router`'s patterns. Both must outlive it.
  HttpMetrics(metrics::Registry& registry, const Router& router);
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;
  HttpMetrics(HttpMetrics&&) = delete;
  HttpMetrics& operator=(HttpMetrics&&) = delete;

  // started counts a request as in flight; finished ends that and records it. `route` is
  // RequestContext::route (empty when nothing matched) or kUnroutedRoute; `method` the verb
  // (verb::unknown when the request never parsed).
  void started() noexcept;
  void finished(boost::beast::http::verb method, std::string_view route, unsigned status,
                std::chrono::nanoseconds duration);

  // server_error counts one unexpected failure of the given kind ("handler", "connection",
  // "accept").
  void server_error(std::string_view kind);

 private:
  struct Slot;
  static constexpr std::size_t kVerbSlots = 64;  // beast's verbs, with room to spare

  Slot& slot(std::size_t route_index, boost::beast::http::verb method);

  metrics::Registry& registry_;
  metrics::Gauge& in_flight_;
  std::vector<std::string> route_labels_;                      // index -> label
  std::unordered_map<std::string_view, std::size_t> routes_;   // pattern -> index; fixed
  std::unique_ptr<std::array<std::atomic<Slot*>, kVerbSlots>[]> slots_;
  std::mutex creating_;         // only taken the first time a slot or status is seen
  std::deque<Slot> owned_;      // guarded by creating_
};

// add_metrics_route registers GET /metrics, which answers `registry` in the Prometheus text
// format (Content-Type text/plain; version=0.0.4).
void add_metrics_route(Router& router, const metrics::Registry& registry);

}  // namespace pactum::http

#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pactum/base/metrics.h"
#include "pactum/http/error_kind.h"
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
//   pactum_http_errors_total{code}                          counter (error responses by their
//                                                           JSON error code; every code at 0
//                                                           from the start)
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

  // error counts one error response of kind (lock-free).
  void error(ErrorKind kind) noexcept;

 private:
  struct Slot;
  static constexpr std::size_t kVerbSlots = 64;  // beast's verbs, with room to spare

  Slot& slot(std::size_t route_index, boost::beast::http::verb method);

  metrics::Registry& registry_;
  metrics::Gauge& in_flight_;
  std::vector<std::string> route_labels_;                      // index -> label
  std::unordered_map<std::string_view, std::size_t> routes_;   // pattern -> index; fixed
  std::unique_ptr<std::array<std::atomic<Slot*>, kVerbSlots>[]> slots_;
  std::array<metrics::Counter*, kErrorKindCount> errors_{};  // by ErrorKind, made up front
  std::mutex creating_;         // only taken the first time a slot or status is seen
  std::deque<Slot> owned_;      // guarded by creating_
};

// MetricsAccess says who may read /metrics. With a token, a request must carry
// "Authorization: Bearer <token>" (compared in constant time): none is 401 (with
// WWW-Authenticate: Bearer), another token 403. Without one, only loopback peers (127.0.0.0/8,
// ::1, and 127.x as IPv4-mapped IPv6) are answered and any other client is 403, so a server
// listening on a public address does not publish its metrics by default.
struct MetricsAccess {
  std::optional<std::string> token;
};

// is_loopback_address says whether a peer address (RequestContext::client_address) is loopback.
bool is_loopback_address(std::string_view address);

// add_metrics_route registers GET /metrics, which answers `registry` in the Prometheus text
// format (Content-Type text/plain; version=0.0.4) to the clients access allows, and JSON
// errors of the one shape to the others.
void add_metrics_route(Router& router, const metrics::Registry& registry,
                       MetricsAccess access = {});

}  // namespace pactum::http

#pragma once

#include <any>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pactum::http {

// RequestContext is everything the server knows about one request beyond its bytes. The server
// fills the connection facts, the Router the request id and the route, middleware the principal;
// handlers read it. One context lives for exactly one request and is touched by one thread.
struct RequestContext {
  // request_id is the client's well-formed X-Request-Id, or a fresh one; it is echoed in the
  // response header, in error bodies and in every log line of the request.
  std::string request_id;

  // client_address is the peer's IP address as text ("127.0.0.1", "::1"), and client_port its
  // port; empty and 0 when the request did not come from a socket (tests, fuzzers). This is the
  // TCP peer: a proxy in front of us is the client here.
  std::string client_address;
  std::uint16_t client_port = 0;

  // secure is true when the request arrived over TLS (cookies may then be marked Secure).
  bool secure = false;

  // received is when the whole request had been read, on the steady clock; latency is measured
  // from here. A default value means "not received from a socket".
  std::chrono::steady_clock::time_point received{};

  // route is the pattern that matched, e.g. "/api/v1/contracts/{id}"; empty until routing and
  // when nothing matched. It points into the Router, which outlives every request.
  std::string_view route;

  // path_params holds the percent-decoded value of each {name} segment of the route, in order.
  std::vector<std::pair<std::string, std::string>> path_params;

  // principal is set by authentication middleware (a type of the api layer, read back with
  // std::any_cast); empty means anonymous. actor is its short printable form for logs
  // ("user:42", "app:ak_x"), never a secret; empty means anonymous.
  std::any principal;
  std::string actor;

  // path_param returns the value of the {name} segment, or nullopt if the route has none.
  [[nodiscard]] std::optional<std::string_view> path_param(std::string_view name) const {
    for (const auto& [key, value] : path_params) {
      if (key == name) {
        return value;
      }
    }
    return std::nullopt;
  }
};

}  // namespace pactum::http

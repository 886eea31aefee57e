#include "pactum/http/router.h"

#include <algorithm>
#include <exception>
#include <utility>

#include <fmt/format.h>

namespace pactum::http {

namespace beast_http = boost::beast::http;

namespace {

// path_of returns the target without its query string.
std::string_view path_of(std::string_view target) {
  const std::size_t query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

}  // namespace

Router::Router(RequestIdSource ids) : ids_(std::move(ids)) {}

void Router::add(beast_http::verb method, std::string path, Handler handler) {
  std::vector<Route>& routes = routes_[std::move(path)];
  const auto existing =
      std::ranges::find_if(routes, [method](const Route& route) { return route.method == method; });
  if (existing != routes.end()) {
    existing->handler = std::move(handler);
  } else {
    routes.push_back(Route{method, std::move(handler)});
  }
}

std::string Router::request_id_for(const Request& request) const {
  const auto incoming = request.find(kRequestIdHeader);
  if (incoming != request.end() && is_valid_request_id(incoming->value())) {
    return std::string(incoming->value());
  }
  return ids_();
}

Response Router::handle(const Request& request) const {
  const std::string request_id = request_id_for(request);
  const RequestContext context{request_id};

  Response response = [&] {
    const auto path = routes_.find(path_of(request.target()));
    if (path == routes_.end()) {
      return json_error_response(Status::not_found, "not_found", "no resource at this path",
                                 request_id);
    }
    const std::vector<Route>& routes = path->second;
    const auto route = std::ranges::find_if(
        routes, [&](const Route& candidate) { return candidate.method == request.method(); });
    if (route == routes.end()) {
      std::string allow;
      for (const Route& candidate : routes) {
        allow += allow.empty() ? "" : ", ";
        allow += beast_http::to_string(candidate.method);
      }
      Response refused =
          json_error_response(Status::method_not_allowed, "method_not_allowed",
                              fmt::format("this path accepts only {}", allow), request_id);
      refused.set(beast_http::field::allow, allow);
      return refused;
    }
    try {
      return route->handler(request, context);
    } catch (const std::exception&) {
      // The request ends here; the server logs the status with the request id, and the handler
      // that threw is the one to say more once handlers log through the context.
      return json_error_response(Status::internal_server_error, "internal",
                                 "the server failed to handle this request", request_id);
    }
  }();

  response.set(kRequestIdHeader, request_id);
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

Response Router::reject(Status status, std::string_view code, std::string_view message) const {
  const std::string request_id = ids_();
  Response response = json_error_response(status, code, message, request_id);
  response.set(kRequestIdHeader, request_id);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

}  // namespace pactum::http

#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "pactum/http/message.h"
#include "pactum/http/request_id.h"

namespace pactum::http {

// RequestContext is what the router knows about a request beyond its bytes; it grows with the
// middleware (the authenticated principal, the tenant) in later layers.
struct RequestContext {
  std::string_view request_id;
};

// Handler answers one routed request. It may throw only for failures that end the request (a
// lost database); Router::handle turns those into a 500 JSON error. Expected failures are
// responses the handler builds itself, normally with json_error_response.
using Handler = std::function<Response(const Request&, const RequestContext&)>;

// Router maps a request to a response and knows no socket, so it is tested as a pure function
// and the server, a fuzzer or a test can all drive it. Routes are exact paths (the query string
// is ignored for matching) and a method. A Router is filled before serving starts and is then
// only read, which makes handle() safe to call from many threads at once.
class Router {
 public:
  // Router uses `ids` for requests that arrive without a well-formed X-Request-Id.
  explicit Router(RequestIdSource ids = random_request_ids());

  // add registers `handler` for `method` on the exact path `path` (e.g. "/healthz"). Adding the
  // same method and path twice replaces the first handler.
  void add(boost::beast::http::verb method, std::string path, Handler handler);

  // handle returns the response to `request`: the handler's answer; 404 for an unknown path;
  // 405 with an Allow header for a known path and a method it does not serve; 500 if the
  // handler threw. Every response carries X-Request-Id (the request's own if well-formed, else a
  // fresh one), the request's HTTP version and keep-alive choice, and a Content-Length.
  [[nodiscard]] Response handle(const Request& request) const;

  // reject returns a JSON error response for a failure found before there is a request to route
  // (a header block or body over its limit, bytes that are not HTTP). It carries a fresh
  // X-Request-Id and asks to close the connection.
  [[nodiscard]] Response reject(Status status, std::string_view code,
                                std::string_view message) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    Handler handler;
  };

  [[nodiscard]] std::string request_id_for(const Request& request) const;

  // routes_ maps a path to the handlers of its methods.
  std::map<std::string, std::vector<Route>, std::less<>> routes_;
  RequestIdSource ids_;
};

}  // namespace pactum::http

#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "pactum/http/error_kind.h"
#include "pactum/http/message.h"
#include "pactum/http/request_context.h"
#include "pactum/http/request_id.h"

namespace pactum::http {

// Handler answers one routed request. It may throw only for failures that end the request (a
// lost database); the Router turns those into a 500 JSON error and logs them. Expected failures
// are responses the handler builds itself with error_response.
using Handler = std::function<Response(const Request&, const RequestContext&)>;

// Middleware runs after routing and before the handler: it may read the request and fill the
// context (the principal, the actor), and either returns nullopt to let the request go on or a
// response that ends it (normally an error_response: 401, 403, 429). Like a handler it may throw
// only for failures that end the request.
using Middleware = std::function<std::optional<Response>(const Request&, RequestContext&)>;

// ErrorLog receives one line per unexpected failure (a handler or middleware that threw). It is
// called from worker threads concurrently and must not throw.
using ErrorLog = std::function<void(std::string_view message)>;

// Router maps a request to a response and knows no socket, so it is tested as a pure function
// and the server, a fuzzer or a test can all drive it.
//
// Routes are path patterns plus a method. A pattern is "/"-separated segments, each a literal or
// a "{name}" that matches one non-empty segment (e.g. "/api/v1/contracts/{id}/download"); the
// query string is ignored for matching. When several patterns match, literal segments win over
// parameters, compared from the left. A last segment "{name...}" matches the rest of the path
// (one or more segments) and is handed to the handler raw, still percent-encoded, for values
// that may contain '/' (an RFC 6960 GET request's base64). A Router is filled before serving starts and is then only
// read, which makes handle() safe to call from many threads at once.
class Router {
 public:
  // Router uses `ids` for requests that arrive without a well-formed X-Request-Id.
  explicit Router(RequestIdSource ids = random_request_ids());

  // add registers `handler` for `method` on `pattern`, behind the middleware `before` (run in
  // order, after the global ones from use()). Adding the same method and pattern twice replaces
  // the first. A malformed pattern (not starting with '/', a brace that is not a whole segment,
  // an empty or repeated parameter name) is a programming error: std::invalid_argument.
  void add(boost::beast::http::verb method, std::string pattern, Handler handler,
           std::vector<Middleware> before = {});

  // use appends `middleware` to the chain that runs before every routed request's own
  // middleware. Unmatched paths (404) and methods (405) never reach it.
  void use(Middleware middleware);

  // set_error_log sets where unexpected failures are reported (by default nowhere).
  void set_error_log(ErrorLog log);

  // set_fallback makes `handler` answer every GET whose path no pattern matches and `takes`
  // accepts (the web app's files and its client-side routes), behind the global middleware only;
  // context.route is `route_name` (one label for metrics and the access log, however many paths
  // it serves). Other methods, and paths `takes` refuses, still get the 404 of an unmatched
  // path; matched paths never reach it.
  void set_fallback(Handler handler, std::function<bool(std::string_view path)> takes,
                    std::string route_name = "(web)");

  // handle returns the response to `request`: the handler's or a middleware's answer; 404 for
  // an unknown path; 405 with an Allow header for a known path and a method it does not serve;
  // 400 for a path parameter that does not decode; 500 if a handler or middleware threw. It sets
  // context.request_id (the request's own if well-formed, else a fresh one), context.route and
  // context.path_params; the connection facts in `context` are the caller's. Every response
  // carries X-Request-Id, the request's HTTP version and keep-alive choice, and a
  // Content-Length.
  [[nodiscard]] Response handle(const Request& request, RequestContext& context) const;

  // check_route answers, from the request line and headers alone, what handle() would answer
  // without running any middleware or handler: 404, 405 or 400 (a bad path parameter), prepared
  // like handle()'s and asking to close the connection; nullopt if the request reaches a route.
  // The server calls it before reading a body the client waits to send (Expect: 100-continue).
  // It sets context.request_id and context.route like handle().
  [[nodiscard]] std::optional<Response> check_route(const Request& request,
                                                    RequestContext& context) const;

  // handle is the same with a context that has no connection facts (tests, fuzzers).
  [[nodiscard]] Response handle(const Request& request) const;

  // reject returns the error response of `kind` for a failure found before there is a request to
  // route (a header block or body over its limit, bytes that are not HTTP, a timeout). It sets a
  // fresh context.request_id, carries it as X-Request-Id, and asks to close the connection.
  [[nodiscard]] Response reject(RequestContext& context, ErrorKind kind,
                                std::string_view message) const;

  // patterns returns every registered pattern, in registration order.
  [[nodiscard]] std::vector<std::string_view> patterns() const;

 private:
  struct Route {
    boost::beast::http::verb method;
    Handler handler;
    std::vector<Middleware> before;
  };

  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
    bool is_rest = false;  // "{name...}": the raw rest of the path
  };

  struct PathEntry {
    std::string pattern;
    std::vector<Segment> segments;
    bool has_params = false;
    std::vector<Route> routes;
  };

  [[nodiscard]] std::string request_id_for(const Request& request) const;
  [[nodiscard]] const PathEntry* match(std::string_view path) const;
  // resolve finds the route of a request and fills context.route and context.path_params, or
  // returns the 404/405/400 response.
  [[nodiscard]] std::variant<const Route*, Response> resolve(const Request& request,
                                                             RequestContext& context) const;
  [[nodiscard]] Response route(const Request& request, RequestContext& context) const;
  void report(std::string_view message) const;

  // entries_ is a deque so that the patterns, which contexts point into, never move.
  std::deque<PathEntry> entries_;
  std::map<std::string, const PathEntry*, std::less<>> exact_;  // patterns without parameters
  std::vector<const PathEntry*> parameterised_;
  std::vector<Middleware> global_;
  std::optional<Route> fallback_;
  std::function<bool(std::string_view)> fallback_takes_;
  std::string fallback_route_;
  RequestIdSource ids_;
  ErrorLog error_log_;
};

}  // namespace pactum::http

#include "pactum/http/router.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "pactum/base/percent_encoding.h"
#include "pactum/http/url.h"

namespace pactum::http {

namespace beast_http = boost::beast::http;

namespace {

// split_path splits "/a/b" into {"a", "b"}; "/" gives {""}. The caller checked the leading '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::string_view rest = path.substr(1);
  for (;;) {
    const std::size_t slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    rest = rest.substr(slash + 1);
  }
}

// decode_path_param decodes one parameter segment, refusing what must never reach a handler as
// an identifier: bad escapes, separators and dot segments (path traversal), control characters.
std::optional<std::string> decode_path_param(std::string_view raw) {
  std::optional<std::string> value = percent_decode(raw);
  if (!value || value->empty() || *value == "." || *value == "..") {
    return std::nullopt;
  }
  const bool bad = std::ranges::any_of(*value, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f;
  });
  if (bad) {
    return std::nullopt;
  }
  return value;
}

std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

Router::Router(RequestIdSource ids) : ids_(std::move(ids)) {}

void Router::add(beast_http::verb method, std::string pattern, Handler handler,
                 std::vector<Middleware> before) {
  if (!pattern.starts_with('/')) {
    throw std::invalid_argument(fmt::format("route pattern \"{}\" must start with '/'", pattern));
  }
  PathEntry* entry = nullptr;
  for (PathEntry& existing : entries_) {
    if (existing.pattern == pattern) {
      entry = &existing;
    }
  }
  if (entry == nullptr) {
    PathEntry fresh;
    for (const std::string_view segment : split_path(pattern)) {
      const bool is_param = segment.starts_with('{') && segment.ends_with('}');
      std::string_view text = is_param ? segment.substr(1, segment.size() - 2) : segment;
      const bool is_rest = is_param && text.ends_with("...");
      if (is_rest) {
        text.remove_suffix(3);
      }
      if (!fresh.segments.empty() && fresh.segments.back().is_rest) {
        throw std::invalid_argument(
            fmt::format("route pattern \"{}\": a {{name...}} segment must be the last", pattern));
      }
      const bool repeated = std::ranges::any_of(fresh.segments, [&](const Segment& seen) {
        return seen.is_param && is_param && seen.text == text;
      });
      if (text.find_first_of("{}") != std::string_view::npos || (is_param && text.empty()) ||
          repeated) {
        throw std::invalid_argument(fmt::format("route pattern \"{}\" is malformed", pattern));
      }
      fresh.segments.push_back(Segment{std::string(text), is_param, is_rest});
      fresh.has_params = fresh.has_params || is_param;
    }
    fresh.pattern = std::move(pattern);
    entry = &entries_.emplace_back(std::move(fresh));
    if (entry->has_params) {
      parameterised_.push_back(entry);
    } else {
      exact_.emplace(entry->pattern, entry);
    }
  }
  const auto existing = std::ranges::find_if(
      entry->routes, [method](const Route& route) { return route.method == method; });
  if (existing != entry->routes.end()) {
    existing->handler = std::move(handler);
    existing->before = std::move(before);
  } else {
    entry->routes.push_back(Route{method, std::move(handler), std::move(before)});
  }
}

void Router::use(Middleware middleware) { global_.push_back(std::move(middleware)); }

void Router::set_error_log(ErrorLog log) { error_log_ = std::move(log); }

void Router::set_fallback(Handler handler, std::function<bool(std::string_view)> takes,
                          std::string route_name) {
  fallback_ = Route{beast_http::verb::get, std::move(handler), {}};
  fallback_takes_ = std::move(takes);
  fallback_route_ = std::move(route_name);
}

std::vector<std::string_view> Router::patterns() const {
  std::vector<std::string_view> all;
  all.reserve(entries_.size());
  for (const PathEntry& entry : entries_) {
    all.emplace_back(entry.pattern);
  }
  return all;
}

std::string Router::request_id_for(const Request& request) const {
  const auto incoming = request.find(kRequestIdHeader);
  if (incoming != request.end() && is_valid_request_id(incoming->value())) {
    return std::string(incoming->value());
  }
  return ids_();
}

const Router::PathEntry* Router::match(std::string_view path) const {
  if (!path.starts_with('/')) {
    return nullptr;  // "*" or an absolute URL: nothing of ours
  }
  if (const auto exact = exact_.find(path); exact != exact_.end()) {
    return exact->second;
  }
  const std::vector<std::string_view> segments = split_path(path);
  const PathEntry* best = nullptr;
  for (const PathEntry* entry : parameterised_) {
    const bool rest = entry->segments.back().is_rest;
    if (rest ? segments.size() < entry->segments.size()
             : entry->segments.size() != segments.size()) {
      continue;
    }
    bool matches = true;
    for (std::size_t i = 0; i < entry->segments.size() && matches; ++i) {
      const Segment& segment = entry->segments[i];
      matches = segment.is_param ? !segments[i].empty() : segment.text == segments[i];
    }
    if (!matches) {
      continue;
    }
    // Literal segments win over parameters, from the left.
    const bool better =
        best == nullptr || std::ranges::lexicographical_compare(
                               entry->segments, best->segments, std::less<>{},
                               &Segment::is_param, &Segment::is_param);
    if (better) {
      best = entry;
    }
  }
  return best;
}

std::variant<const Router::Route*, Response> Router::resolve(const Request& request,
                                                            RequestContext& context) const {
  const std::string_view path = path_of(request.target());
  const PathEntry* entry = match(path);
  if (entry == nullptr && fallback_ && request.method() == beast_http::verb::get &&
      path.starts_with('/') && fallback_takes_(path)) {
    context.route = fallback_route_;
    return &*fallback_;
  }
  if (entry == nullptr) {
    return error_response(context, ErrorKind::kNotFound, "no resource at this path");
  }
  context.route = entry->pattern;
  const auto route = std::ranges::find_if(
      entry->routes, [&](const Route& candidate) { return candidate.method == request.method(); });
  if (route == entry->routes.end()) {
    std::string allow;
    for (const Route& candidate : entry->routes) {
      allow += allow.empty() ? "" : ", ";
      allow += beast_http::to_string(candidate.method);
    }
    Response refused = error_response(context, ErrorKind::kMethodNotAllowed,
                                      fmt::format("this path accepts only {}", allow));
    refused.set(beast_http::field::allow, allow);
    return refused;
  }
  if (entry->has_params) {
    const std::vector<std::string_view> segments = split_path(path);
    for (std::size_t i = 0; i < entry->segments.size(); ++i) {
      const Segment& segment = entry->segments[i];
      if (!segment.is_param) {
        continue;
      }
      if (segment.is_rest) {
        // The rest of the path, still percent-encoded: the handler decides what it may hold.
        const auto start = static_cast<std::size_t>(segments[i].data() - path.data());
        context.path_params.emplace_back(segment.text, std::string(path.substr(start)));
        break;
      }
      std::optional<std::string> value = decode_path_param(segments[i]);
      if (!value) {
        return error_response(context, ErrorKind::kBadRequest,
                              fmt::format("the path parameter {} is not valid", segment.text));
      }
      context.path_params.emplace_back(segment.text, std::move(*value));
    }
  }
  return &*route;
}

Response Router::route(const Request& request, RequestContext& context) const {
  std::variant<const Route*, Response> resolved = resolve(request, context);
  if (Response* refused = std::get_if<Response>(&resolved)) {
    return std::move(*refused);
  }
  const Route* route = std::get<const Route*>(resolved);
  try {
    for (const std::vector<Middleware>* chain : {&global_, &route->before}) {
      for (const Middleware& middleware : *chain) {
        if (std::optional<Response> stop = middleware(request, context)) {
          return std::move(*stop);
        }
      }
    }
    return route->handler(request, context);
  } catch (...) {
    report(fmt::format("request {} {} {} failed: {}", context.request_id,
                       request.method_string(), context.route,
                       describe(std::current_exception())));
    return error_response(context, ErrorKind::kInternal,
                          "the server failed to handle this request");
  }
}

Response Router::handle(const Request& request, RequestContext& context) const {
  context.request_id = request_id_for(request);
  Response response = route(request, context);
  response.set(kRequestIdHeader, context.request_id);
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

std::optional<Response> Router::check_route(const Request& request,
                                           RequestContext& context) const {
  context.request_id = request_id_for(request);
  std::variant<const Route*, Response> resolved = resolve(request, context);
  Response* refused = std::get_if<Response>(&resolved);
  if (refused == nullptr) {
    context.path_params.clear();  // handle() fills them again
    return std::nullopt;
  }
  refused->set(kRequestIdHeader, context.request_id);
  refused->version(request.version());
  refused->keep_alive(false);  // the body the client may still send is never read
  refused->prepare_payload();
  return std::move(*refused);
}

Response Router::handle(const Request& request) const {
  RequestContext context;
  return handle(request, context);
}

Response Router::reject(RequestContext& context, ErrorKind kind, std::string_view message) const {
  context.request_id = ids_();
  Response response = error_response(context, kind, message);
  response.set(kRequestIdHeader, context.request_id);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

void Router::report(std::string_view message) const {
  if (error_log_) {
    error_log_(message);
  }
}

}  // namespace pactum::http

#include "pactum/http/rate_limiter.h"

#include <utility>

#include <fmt/format.h>

namespace pactum::http {

RateLimiter::RateLimiter(RateLimiterOptions options) : options_(std::move(options)) {}

bool RateLimiter::allow(std::string_view address) {
  const auto now = options_.now();
  const std::scoped_lock lock(mutex_);
  auto found = windows_.find(std::string(address));
  if (found == windows_.end()) {
    if (windows_.size() >= options_.max_addresses) {
      std::erase_if(windows_,
                    [&](const auto& entry) { return now - entry.second.start >= options_.window; });
      if (windows_.size() >= options_.max_addresses) {
        return false;
      }
    }
    found = windows_.emplace(std::string(address), Window{now, 0}).first;
  }
  Window& window = found->second;
  if (now - window.start >= options_.window) {
    window = Window{now, 0};
  }
  if (window.count >= options_.limit) {
    return false;
  }
  ++window.count;
  return true;
}

Middleware RateLimiter::middleware() {
  return [this](const Request&, RequestContext& context) -> std::optional<Response> {
    if (allow(context.client_address)) {
      return std::nullopt;
    }
    Response refused =
        error_response(context, ErrorKind::kRateLimited,
                       fmt::format("too many requests from this address; at most {} per {} seconds",
                                   options_.limit, options_.window.count()));
    refused.set(boost::beast::http::field::retry_after, std::to_string(options_.window.count()));
    return refused;
  };
}

}  // namespace pactum::http

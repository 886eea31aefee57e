#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pactum/http/router.h"

namespace pactum::http {

// RateLimiterOptions: at most `limit` requests per client address in each fixed window of
// `window`, remembering at most `max_addresses` addresses at once.
struct RateLimiterOptions {
  std::uint32_t limit = 20;
  std::chrono::seconds window{60};
  std::size_t max_addresses = 10000;
  // now is the clock windows are measured on (injected in tests).
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

// RateLimiter counts requests per client address in memory, for routes that do expensive work
// without a log-in (POST /api/v1/verify): nothing is stored, and a restart forgets the counts.
// Thread-safe.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimiterOptions options);

  // allow counts one request of address and returns true if it is within the limit of its
  // current window. When max_addresses addresses are held, windows that have ended are dropped
  // first; if all are still running, a new address is refused (false) until one ends, so the
  // table stays bounded however many addresses ask.
  bool allow(std::string_view address);

  // middleware returns a Middleware that answers 429 rate_limited, with Retry-After, to a
  // request over the limit of its context.client_address. The limiter must outlive it.
  [[nodiscard]] Middleware middleware();

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    std::uint32_t count = 0;
  };

  RateLimiterOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace pactum::http

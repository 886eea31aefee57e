#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace pactum {

// Clock returns the current time: the one clock type of every layer (use cases, the CA and TSA,
// the application log). Whatever needs the time takes one, so tests can fix and advance it; the
// node passes system_clock_now.
using Clock = std::function<std::chrono::system_clock::time_point()>;

// system_clock_now is the production Clock.
inline std::chrono::system_clock::time_point system_clock_now() {
  return std::chrono::system_clock::now();
}

// unix_seconds returns whole seconds since 1970-01-01 UTC, how times are stored in the database.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// from_unix_seconds is the inverse of unix_seconds.
inline std::chrono::system_clock::time_point from_unix_seconds(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace pactum

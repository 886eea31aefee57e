#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "pactum/base/metrics.h"

namespace pactum::domain {

// LoginResult is how a log-in attempt ended, as counted.
enum class LoginResult : std::uint8_t {
  kSuccess,        // a session was opened
  kWrongPassword,  // unknown login or wrong password (the caller cannot tell which either)
  kLocked,         // the account is locked after too many failures
  kThrottled,      // the client address is rate limited
  kError,          // the attempt failed on our side (storage, cipher)
};

// LoginCounters counts log-in attempts into a metrics registry as
// pactum_logins_total{result="success|wrong_password|locked|throttled|error"}, every result at 0
// from the start. Lock-free after construction; the registry must outlive it.
class LoginCounters {
 public:
  explicit LoginCounters(metrics::Registry& registry);

  // count adds one attempt with result.
  void count(LoginResult result) const noexcept;

 private:
  std::array<metrics::Counter*, 5> counters_{};
};

// login_result_name is the label value of a result.
std::string_view login_result_name(LoginResult result);

}  // namespace pactum::domain

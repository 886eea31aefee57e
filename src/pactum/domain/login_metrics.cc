#include "pactum/domain/login_metrics.h"

#include <string>

namespace pactum::domain {

namespace {

constexpr std::array<LoginResult, 5> kResults = {LoginResult::kSuccess, LoginResult::kWrongPassword,
                                                 LoginResult::kLocked, LoginResult::kThrottled,
                                                 LoginResult::kError};

}  // namespace

std::string_view login_result_name(LoginResult result) {
  switch (result) {
    case LoginResult::kSuccess:
      return "success";
    case LoginResult::kWrongPassword:
      return "wrong_password";
    case LoginResult::kLocked:
      return "locked";
    case LoginResult::kThrottled:
      return "throttled";
    case LoginResult::kError:
      return "error";
  }
  return "error";
}

LoginCounters::LoginCounters(metrics::Registry& registry) {
  for (const LoginResult result : kResults) {
    counters_.at(static_cast<std::size_t>(result)) =
        &registry.counter("pactum_logins_total", "Log-in attempts, by result.",
                          {{"result", std::string(login_result_name(result))}});
  }
}

void LoginCounters::count(LoginResult result) const noexcept {
  const auto index = static_cast<std::size_t>(result);
  if (index < counters_.size()) {
    counters_[index]->increment();
  }
}

}  // namespace pactum::domain

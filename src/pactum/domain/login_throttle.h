#pragma once

#include <chrono>
#include <cstdint>

namespace pactum::domain {

// ThrottlePolicy bounds password guessing. Failures are counted per account and per client
// address in a fixed window; reaching the limit blocks that key until the lock-out ends. A
// successful log-in clears the account's count (not the address's: one right password must not
// license an attacker's next thousand guesses from the same address).
struct ThrottlePolicy {
  std::uint32_t max_account_failures = 5;
  std::uint32_t max_address_failures = 20;
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};
};

// ThrottleRecord is the persisted state of one key (an account or an address); times are Unix
// seconds, 0 meaning never.
struct ThrottleRecord {
  std::uint32_t failures = 0;
  std::int64_t window_start = 0;
  std::int64_t locked_until = 0;

  friend bool operator==(const ThrottleRecord&, const ThrottleRecord&) = default;
};

// is_blocked returns true while the record's lock-out lasts at `now` (Unix seconds).
bool is_blocked(const ThrottleRecord& record, std::int64_t now);

// after_failure returns the record after one more failure at `now`: the count restarts when the
// window has passed, and reaching `limit` sets locked_until = now + lockout.
ThrottleRecord after_failure(const ThrottleRecord& record, std::int64_t now, std::uint32_t limit,
                             const ThrottlePolicy& policy);

}  // namespace pactum::domain

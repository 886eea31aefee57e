#include "pactum/domain/login_throttle.h"

namespace pactum::domain {

bool is_blocked(const ThrottleRecord& record, std::int64_t now) {
  return record.locked_until > now;
}

ThrottleRecord after_failure(const ThrottleRecord& record, std::int64_t now, std::uint32_t limit,
                             const ThrottlePolicy& policy) {
  ThrottleRecord next = record;
  if (record.failures == 0 || now - record.window_start >= policy.window.count()) {
    next.failures = 0;
    next.window_start = now;
  }
  next.failures += 1;
  if (next.failures >= limit) {
    next.locked_until = now + policy.lockout.count();
    // A lock-out starts a fresh count, so the first guess after it ends is not a new lock.
    next.failures = 0;
  }
  return next;
}

}  // namespace pactum::domain

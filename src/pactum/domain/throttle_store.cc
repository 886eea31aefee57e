#include "pactum/domain/throttle_store.h"

namespace pactum::domain {

DomainResult<ThrottleRecord> load_throttle(store::Executor& executor, std::string_view key) {
  auto row = executor.query_optional(
      "SELECT failures, window_start, locked_until FROM login_throttle WHERE throttle_key = ?",
      {key});
  if (!row) {
    return internal("reading log-in throttling", row.error());
  }
  if (!*row) {
    return ThrottleRecord{};
  }
  auto failures = (*row)->int64(0);
  auto window_start = (*row)->int64(1);
  auto locked_until = (*row)->int64(2);
  if (!failures || !window_start || !locked_until || *failures < 0) {
    return refuse(DomainErrorCode::kInternal, "unreadable throttling row");
  }
  return ThrottleRecord{static_cast<std::uint32_t>(*failures), *window_start, *locked_until};
}

DomainStatus count_failure(store::Executor& executor, std::string_view key, std::int64_t now,
                           std::uint32_t limit, const ThrottlePolicy& policy) {
  auto current = load_throttle(executor, key);
  if (!current) {
    return std::unexpected(current.error());
  }
  const ThrottleRecord next = after_failure(*current, now, limit, policy);
  auto stored = executor.execute(
      "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (throttle_key) DO UPDATE SET failures = excluded.failures, "
      "window_start = excluded.window_start, locked_until = excluded.locked_until",
      {key, static_cast<std::int64_t>(next.failures), next.window_start, next.locked_until});
  if (!stored) {
    return internal("storing log-in throttling", stored.error());
  }
  return {};
}

DomainStatus clear_throttle(store::Executor& executor, std::string_view key) {
  auto cleared = executor.execute("DELETE FROM login_throttle WHERE throttle_key = ?", {key});
  if (!cleared) {
    return internal("clearing log-in throttling", cleared.error());
  }
  return {};
}

}  // namespace pactum::domain

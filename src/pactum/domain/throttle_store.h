#pragma once

#include <cstdint>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/login_throttle.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// load_throttle returns the stored record of key ("account:<index>" or "address:<ip>"), or an
// empty record if there is none.
DomainResult<ThrottleRecord> load_throttle(store::Executor& executor, std::string_view key);

// count_failure stores after_failure(record of key, now, limit, policy).
DomainStatus count_failure(store::Executor& executor, std::string_view key, std::int64_t now,
                           std::uint32_t limit, const ThrottlePolicy& policy);

// clear_throttle forgets key's failures.
DomainStatus clear_throttle(store::Executor& executor, std::string_view key);

}  // namespace pactum::domain

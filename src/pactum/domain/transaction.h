#pragma once

#include <utility>

#include "pactum/domain/domain_error.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// run_in_transaction runs body(store::Transaction&) -> DomainResult<T> in a write transaction and
// commits it if the body succeeds. A body failure rolls everything back (so a refused use case
// changes nothing) and is returned; a transient storage conflict (retryable) runs the body
// again, up to `attempts` times.
template <typename Body>
auto run_in_transaction(store::Database& database, Body&& body, int attempts = 5)
    -> decltype(body(std::declval<store::Transaction&>())) {
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt >= attempts;
    auto lease = database.acquire();
    if (!lease) {
      return internal("opening a database connection", lease.error());
    }
    auto transaction = (*lease)->begin(store::TransactionMode::kWrite);
    if (!transaction) {
      if (transaction.error().code == ErrorCode::kRetryable && !last) {
        continue;
      }
      return internal("starting a transaction", transaction.error());
    }
    auto result = body(*transaction);
    if (!result) {
      if (result.error().retryable && !last) {
        continue;
      }
      return result;
    }
    if (auto committed = transaction->commit(); !committed) {
      if (committed.error().code == ErrorCode::kRetryable && !last) {
        continue;
      }
      return internal("committing", committed.error());
    }
    return result;
  }
}

// with_connection runs body(store::Connection&) -> DomainResult<T> on a pooled connection
// outside any explicit transaction; for reads.
template <typename Body>
auto with_connection(store::Database& database, Body&& body)
    -> decltype(body(std::declval<store::Connection&>())) {
  auto lease = database.acquire();
  if (!lease) {
    return internal("opening a database connection", lease.error());
  }
  return body(**lease);
}

}  // namespace pactum::domain

#include "pactum/domain/database_nonce_store.h"

#include <memory>

#include "pactum/domain/memory_nonce_store.h"

namespace pactum::domain {
namespace {

// One statement: the upsert refuses a live row (0 rows changed) and takes over an expired one.
constexpr std::string_view kSpendSqlite =
    "INSERT INTO api_nonces (app_id, nonce, expires_at) VALUES (?, ?, ?) "
    "ON CONFLICT (app_id, nonce) DO UPDATE SET expires_at = excluded.expires_at "
    "WHERE api_nonces.expires_at < ?";

// The same on PostgreSQL, with set_config(..., true) turning synchronous_commit off for this
// statement's own (implicit) transaction only: the commit does not wait for the WAL flush, and
// no other statement on the pooled connection is affected. The casts type the parameters, which
// a SELECT list cannot infer from the target columns.
constexpr std::string_view kSpendPostgres =
    "WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting) "
    "INSERT INTO api_nonces (app_id, nonce, expires_at) "
    "SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT) FROM async_commit "
    "ON CONFLICT (app_id, nonce) DO UPDATE SET expires_at = excluded.expires_at "
    "WHERE api_nonces.expires_at < CAST(? AS BIGINT)";

std::unexpected<DomainError> replayed() {
  return refuse(DomainErrorCode::kReplayed, "this request was already received (nonce reused)");
}

// NodeNonceStore owns the memory store and the database store that make_nonce_store layers.
class NodeNonceStore final : public NonceStore {
 public:
  explicit NodeNonceStore(store::Database& database)
      : shared_(database), layered_(local_, shared_) {}

  DomainStatus spend(std::string_view app_id, std::string_view nonce, std::int64_t timestamp,
                     std::int64_t now) override {
    return layered_.spend(app_id, nonce, timestamp, now);
  }

 private:
  MemoryNonceStore local_;
  DatabaseNonceStore shared_;
  LayeredNonceStore layered_;
};

}  // namespace

DomainStatus DatabaseNonceStore::spend(std::string_view app_id, std::string_view nonce,
                                       std::int64_t timestamp, std::int64_t now) {
  const std::int64_t keep_until = timestamp + kNonceRetention.count();
  auto lease = database_.acquire();
  if (!lease) {
    return internal("opening a database connection", lease.error());
  }
  const std::string_view sql =
      (*lease)->engine() == store::Engine::kPostgres ? kSpendPostgres : kSpendSqlite;
  auto changed = (*lease)->execute(sql, {app_id, nonce, keep_until, now});
  if (!changed) {
    if (changed.error().code == ErrorCode::kConflict) {
      return replayed();
    }
    return internal("recording a nonce", changed.error());
  }
  if (*changed == 0) {
    return replayed();
  }
  if (++spent_ % kPurgeEvery == 0) {
    // Best effort: a failed purge only leaves rows that the next purge removes.
    (void)(*lease)->execute("DELETE FROM api_nonces WHERE expires_at < ?", {now});
  }
  return {};
}

DomainStatus LayeredNonceStore::spend(std::string_view app_id, std::string_view nonce,
                                      std::int64_t timestamp, std::int64_t now) {
  if (auto local = local_.spend(app_id, nonce, timestamp, now); !local) {
    return local;
  }
  return shared_.spend(app_id, nonce, timestamp, now);
}

std::unique_ptr<NonceStore> make_nonce_store(store::Database& database, std::int64_t started_at) {
  if (database.engine() == store::Engine::kSqlite) {
    return std::make_unique<MemoryNonceStore>(MemoryNonceStore::kDefaultCapacity, started_at);
  }
  return std::make_unique<NodeNonceStore>(database);
}

}  // namespace pactum::domain

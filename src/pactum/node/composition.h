#pragma once

// The composition root: the one place that builds domain::Services and everything hanging off
// it. pactumd, the CLI (`pactum init --demo`), the benchmarks and the tests all call
// Composition::build; tests pass fakes through Wiring (a fixed clock, cheap Argon2, a cipher
// over a throwaway key). README.md says how to add a provider.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "pactum/base/clock.h"
#include "pactum/base/error.h"
#include "pactum/base/metrics.h"
#include "pactum/domain/api_app_cache.h"
#include "pactum/domain/lineage_cache.h"
#include "pactum/domain/login_metrics.h"
#include "pactum/domain/login_throttle.h"
#include "pactum/domain/nonce_store.h"
#include "pactum/domain/password_hasher.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/domain/services.h"
#include "pactum/store/database.h"

namespace pactum::node {

// Wiring is what the composition root is given from outside; the rest it builds and owns. The
// defaults are production's.
struct Wiring {
  store::Database& database;
  const domain::PiiCipher& pii;
  Clock clock = system_clock_now;
  domain::Argon2Parameters argon2{};  // tests pass cheap ones
  domain::ThrottlePolicy throttle{};
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};
  // started_at (Unix seconds) is when the node counts itself started: on SQLite, API requests
  // signed before it are refused (their nonces are gone). Default: clock() at build. Tests whose
  // clock is fixed in the past pass 0.
  std::optional<std::int64_t> started_at{};
  // registry, when set, counts log-in attempts (pactum_logins_total); it must outlive the
  // Composition.
  metrics::Registry* registry = nullptr;
  // Providers (outside services behind domain interfaces) go here, each a pointer that is null
  // for the default the composition builds and set to a fake by tests; see README.md.
  // messaging: the SMS and e-mail senders (DataDir::open passes the data directory's
  // MessagingProviders, tests the sandbox ones); null on a node that sends nothing.
  const domain::messaging::Messaging* messaging = nullptr;
};

// Composition owns what domain::Services refers to: the nonce store, the API-app and lineage
// caches, the log-in counters (and the providers added beside them). Not movable: Services
// holds references into it. The Wiring's database and cipher must outlive it.
class Composition {
 public:
  // build wires everything. It fails only when a provider cannot be built (none today, so it
  // succeeds); the error is the provider's.
  static Result<std::unique_ptr<Composition>> build(const Wiring& wiring);

  Composition(const Composition&) = delete;
  Composition& operator=(const Composition&) = delete;
  ~Composition();

  [[nodiscard]] const domain::Services& services() const { return *services_; }

 private:
  Composition() = default;

  std::unique_ptr<domain::NonceStore> nonces_;
  domain::ApiAppCache app_cache_;
  domain::LineageCache lineages_;
  std::unique_ptr<domain::LoginCounters> login_counters_;
  std::optional<domain::Services> services_;
};

}  // namespace pactum::node

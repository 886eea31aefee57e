#include "pactum/node/composition.h"

namespace pactum::node {

Composition::~Composition() = default;

Result<std::unique_ptr<Composition>> Composition::build(const Wiring& wiring) {
  std::unique_ptr<Composition> built(new Composition());
  const std::int64_t started_at = wiring.started_at.value_or(unix_seconds(wiring.clock()));
  built->nonces_ = domain::make_nonce_store(wiring.database, started_at);
  if (wiring.registry != nullptr) {
    built->login_counters_ = std::make_unique<domain::LoginCounters>(*wiring.registry);
  }
  built->services_.emplace(domain::Services{.database = wiring.database,
                                            .pii = wiring.pii,
                                            .nonces = *built->nonces_,
                                            .app_cache = built->app_cache_,
                                            .lineages = built->lineages_,
                                            .hasher = domain::PasswordHasher(wiring.argon2),
                                            .throttle = wiring.throttle,
                                            .clock = wiring.clock,
                                            .session_lifetime = wiring.session_lifetime,
                                            .login_counters = built->login_counters_.get(),
                                            .messaging = wiring.messaging});
  return built;
}

}  // namespace pactum::node

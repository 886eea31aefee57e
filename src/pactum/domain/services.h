#pragma once

#include <chrono>

#include "pactum/domain/api_app_cache.h"
#include "pactum/domain/clock.h"
#include "pactum/domain/lineage_cache.h"
#include "pactum/domain/login_metrics.h"
#include "pactum/domain/login_throttle.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/nonce_store.h"
#include "pactum/domain/password_hasher.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// Services is what every use case needs from outside: the database, the personal-data cipher,
// the password hasher, the throttling policy, the clock, and the node's API-app state (the
// nonce store that replay protection spends nonces in, and the caches of app records and of
// enterprise lineages). The server builds one at start;
// tests build one with a fixed clock and cheap Argon2 parameters. Not owned: everything it
// refers to must outlive it.
struct Services {
  store::Database& database;
  const PiiCipher& pii;
  NonceStore& nonces;
  ApiAppCache& app_cache;
  LineageCache& lineages;
  PasswordHasher hasher;
  ThrottlePolicy throttle;
  Clock clock = system_clock_now;
  std::chrono::seconds session_lifetime{12 * 60 * 60};
  const LoginCounters* login_counters = nullptr;  // counts log-in attempts when set
  // messaging sends SMS and e-mail (codes, confirmations); null on a node that sends none, where
  // use cases that must send answer kUnavailable.
  const messaging::Messaging* messaging = nullptr;
};

}  // namespace pactum::domain

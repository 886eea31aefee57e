#include "pactum/domain/intent/schema.h"

#include <array>

namespace pactum::domain::intent {
namespace {

// Times are Unix seconds. A challenge's binding is stored as a SHA-256 digest (it may name a
// contract and a party), its recipient only as a blind index (for the hourly limit per number),
// its code only as a keyed digest. A signing password is an Argon2id hash, its holder a blind
// index of the person's phone number or e-mail address.
constexpr std::string_view kChallengesAndPasswords = R"sql(
CREATE TABLE intent_challenges (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  binding_hash TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient_index TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  failures BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('live', 'used', 'locked', 'superseded', 'undelivered')),
  used_at BIGINT
);
CREATE INDEX intent_challenges_by_key ON intent_challenges(purpose, binding_hash, channel, created_at);
CREATE INDEX intent_challenges_by_recipient ON intent_challenges(recipient_index, created_at);
CREATE TABLE signing_passwords (
  holder_index TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  failures BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
)sql";

constexpr std::array<store::Migration, 1> kMigrations = {{
    {1, "code challenges and signing passwords", kChallengesAndPasswords, {}},
}};

}  // namespace

std::span<const store::Migration> intent_migrations() { return kMigrations; }

Status migrate_intent(store::Database& database) {
  auto applied = store::apply_migrations(database, kMigrationComponent, intent_migrations());
  if (!applied) {
    return std::unexpected(applied.error());
  }
  return {};
}

}  // namespace pactum::domain::intent

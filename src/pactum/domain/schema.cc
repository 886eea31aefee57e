#include "pactum/domain/schema.h"

#include <array>

namespace pactum::domain {
namespace {

// Times are Unix seconds (audit entries: microseconds) in BIGINT; ids are random text
// ("usr_...", "ent_..."), so they say nothing about how many objects exist. Personal data is
// sealed by the PiiCipher ({{BLOB}} columns) and found through its blind index (*_index).
constexpr std::string_view kAccounts = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  login_kind TEXT NOT NULL CHECK (login_kind IN ('email', 'phone')),
  login_index TEXT NOT NULL UNIQUE,
  login_sealed {{BLOB}} NOT NULL,
  name_sealed {{BLOB}} NOT NULL,
  id_number_sealed {{BLOB}},
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);
CREATE TABLE enterprises (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES enterprises(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX enterprises_by_parent ON enterprises(parent_id);
CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (enterprise_id, name)
);
CREATE TABLE members (
  enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'auditor')),
  department_id TEXT REFERENCES departments(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id);
CREATE TABLE api_apps (
  id TEXT PRIMARY KEY,
  enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
  name TEXT NOT NULL,
  secret_sealed {{BLOB}} NOT NULL,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_apps_by_enterprise ON api_apps(enterprise_id);
CREATE TABLE api_nonces (
  app_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (app_id, nonce)
);
CREATE INDEX api_nonces_by_expiry ON api_nonces(expires_at);
CREATE TABLE audit_log (
  seq {{ID}},
  at_us BIGINT NOT NULL,
  enterprise_id TEXT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  client_address TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_by_enterprise_time ON audit_log(enterprise_id, at_us);
)sql";

// The audit log is append-only in the database itself, not only in our code: an UPDATE or
// DELETE on it fails on both engines, whoever issues it.
constexpr std::string_view kAuditAppendOnlySqlite = R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

constexpr std::string_view kAuditAppendOnlyPostgres = R"sql(
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$fn$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $fn$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
)sql";

constexpr std::array<store::Migration, 2> kMigrations = {{
    {.version = 1, .name = "accounts tenants apps audit", .sql = kAccounts, .postgres_sql = {}},
    {.version = 2,
     .name = "audit log append-only",
     .sql = kAuditAppendOnlySqlite,
     .postgres_sql = kAuditAppendOnlyPostgres},
}};

}  // namespace

std::span<const store::Migration> domain_migrations() { return kMigrations; }

Status migrate_domain(store::Database& database) {
  auto applied = store::apply_migrations(database, kMigrationComponent, kMigrations);
  if (!applied) {
    return std::unexpected(applied.error());
  }
  return {};
}

}  // namespace pactum::domain

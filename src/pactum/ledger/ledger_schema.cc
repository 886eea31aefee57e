#include "pactum/ledger/ledger_schema.h"

#include <array>

namespace pactum::ledger {
namespace {

constexpr std::string_view kTables = R"sql(
CREATE TABLE ledger_leaves (
  leaf_index BIGINT PRIMARY KEY,
  leaf_hash {{BLOB}} NOT NULL,
  leaf {{BLOB}} NOT NULL
);
CREATE INDEX ledger_leaves_by_hash ON ledger_leaves(leaf_hash);
CREATE TABLE ledger_nodes (
  node_key BIGINT PRIMARY KEY,
  hash {{BLOB}} NOT NULL
);
CREATE TABLE ledger_heads (
  tree_size BIGINT PRIMARY KEY,
  root_hash {{BLOB}} NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  head_json TEXT NOT NULL
);
CREATE TABLE ledger_queue (
  id {{ID}},
  leaf {{BLOB}} NOT NULL,
  queued_at_us BIGINT NOT NULL
);
)sql";

// History is never rewritten: a sequenced leaf, a node and a signed head cannot be changed or
// removed by anyone with SQL access short of dropping the triggers (which a monitor would then
// catch as an inconsistent head).
constexpr std::string_view kAppendOnlySqlite = R"sql(
CREATE TRIGGER ledger_leaves_no_update BEFORE UPDATE ON ledger_leaves
BEGIN SELECT RAISE(ABORT, 'ledger_leaves is append-only'); END;
CREATE TRIGGER ledger_leaves_no_delete BEFORE DELETE ON ledger_leaves
BEGIN SELECT RAISE(ABORT, 'ledger_leaves is append-only'); END;
CREATE TRIGGER ledger_nodes_no_update BEFORE UPDATE ON ledger_nodes
BEGIN SELECT RAISE(ABORT, 'ledger_nodes is append-only'); END;
CREATE TRIGGER ledger_nodes_no_delete BEFORE DELETE ON ledger_nodes
BEGIN SELECT RAISE(ABORT, 'ledger_nodes is append-only'); END;
CREATE TRIGGER ledger_heads_no_update BEFORE UPDATE ON ledger_heads
BEGIN SELECT RAISE(ABORT, 'ledger_heads is append-only'); END;
CREATE TRIGGER ledger_heads_no_delete BEFORE DELETE ON ledger_heads
BEGIN SELECT RAISE(ABORT, 'ledger_heads is append-only'); END;
)sql";

constexpr std::string_view kAppendOnlyPostgres = R"sql(
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$fn$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $fn$;
CREATE TRIGGER ledger_leaves_no_change BEFORE UPDATE OR DELETE ON ledger_leaves
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_leaves_no_truncate BEFORE TRUNCATE ON ledger_leaves
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_no_change BEFORE UPDATE OR DELETE ON ledger_nodes
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_nodes
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_heads_no_change BEFORE UPDATE OR DELETE ON ledger_heads
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_heads_no_truncate BEFORE TRUNCATE ON ledger_heads
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
)sql";

constexpr std::array<store::Migration, 2> kMigrations = {{
    {.version = 1, .name = "ledger leaves nodes heads queue", .sql = kTables, .postgres_sql = {}},
    {.version = 2,
     .name = "ledger append-only",
     .sql = kAppendOnlySqlite,
     .postgres_sql = kAppendOnlyPostgres},
}};

}  // namespace

std::span<const store::Migration> ledger_migrations() { return kMigrations; }

Status migrate_ledger(store::Database& database) {
  auto applied = store::apply_migrations(database, kMigrationComponent, kMigrations);
  if (!applied) {
    return std::unexpected(applied.error());
  }
  return {};
}

}  // namespace pactum::ledger

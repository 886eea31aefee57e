#pragma once

// The ledger's tables, its own migration component "ledger" (store/migrations.h):
//   ledger_leaves  (leaf_index PRIMARY KEY, leaf_hash, leaf)  one row per sequenced leaf
//   ledger_nodes   (node_key PRIMARY KEY, hash)               every complete subtree of level
//                  >= 1, node_key = level << 57 | index (merkle.h NodeId), written when its last
//                  leaf is sequenced
//   ledger_heads   (tree_size PRIMARY KEY, root_hash, timestamp_ms, head_json)  signed heads
//   ledger_queue   (id, leaf, queued_at_us)                   leaves waiting to be sequenced
// Leaves, nodes and heads are append-only in the database itself (triggers refuse UPDATE and
// DELETE on both engines, and TRUNCATE on PostgreSQL), as the audit log is.

#include <span>
#include <string_view>

#include "pactum/base/error.h"
#include "pactum/store/database.h"
#include "pactum/store/migrations.h"

namespace pactum::ledger {

// kMigrationComponent names the ledger's migrations in schema_migrations.
inline constexpr std::string_view kMigrationComponent = "ledger";

// ledger_migrations returns the ledger's schema steps, oldest first. Never edited once merged.
std::span<const store::Migration> ledger_migrations();

// migrate_ledger applies the ledger's migrations that the database lacks; store's errors.
Status migrate_ledger(store::Database& database);

}  // namespace pactum::ledger

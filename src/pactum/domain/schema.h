#pragma once

#include <span>

#include "pactum/base/error.h"
#include "pactum/store/database.h"
#include "pactum/store/migrations.h"

namespace pactum::domain {

// kMigrationComponent is the name under which the domain's migrations are recorded in
// store's schema_migrations table.
inline constexpr std::string_view kMigrationComponent = "domain";

// domain_migrations returns the domain's schema steps (users, sessions, throttling, tenants,
// members, departments, API apps, nonces, audit log), oldest first. Never edited once merged.
std::span<const store::Migration> domain_migrations();

// migrate_domain applies the domain's migrations that the database lacks; store's errors.
Status migrate_domain(store::Database& database);

}  // namespace pactum::domain

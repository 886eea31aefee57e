#pragma once

#include <span>
#include <string_view>

#include "pactum/base/error.h"
#include "pactum/store/database.h"
#include "pactum/store/migrations.h"

namespace pactum::domain::intent {

// kMigrationComponent names intent's migrations in store's schema_migrations.
inline constexpr std::string_view kMigrationComponent = "intent";

// intent_migrations returns intent's schema steps (code challenges, signing passwords), oldest
// first. Never edited once merged.
std::span<const store::Migration> intent_migrations();

// migrate_intent applies intent's migrations the database lacks; store's errors.
Status migrate_intent(store::Database& database);

}  // namespace pactum::domain::intent

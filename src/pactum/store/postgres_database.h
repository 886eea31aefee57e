#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pactum/base/error.h"
#include "pactum/store/database.h"

namespace pactum::store {

// open_postgres_database returns a pool of libpq connections to options.url (a libpq URI).
// Connections open lazily; kUnavailable if the server cannot be reached. Called through
// open_database.
Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseOptions& options);

// to_postgres_placeholders rewrites each `?` placeholder of sql to `$1`, `$2`, ... in order and
// returns the new text and the count, leaving `?` alone inside 'string literals' (with ''
// escapes), "quoted identifiers", -- line comments and /* block comments */. kInvalidArgument for
// an unterminated literal or comment, and for dollar-quoted strings, which Pactum's SQL does not
// use and this rewriter does not parse.
struct PostgresSql {
  std::string text;
  std::size_t placeholders = 0;
};
Result<PostgresSql> to_postgres_placeholders(std::string_view sql);

}  // namespace pactum::store

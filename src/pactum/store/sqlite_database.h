#pragma once

#include <memory>

#include "pactum/base/error.h"
#include "pactum/store/database.h"

namespace pactum::store {

// open_sqlite_database opens the SQLite file named by options.url ("sqlite:PATH", created if
// missing). Every connection runs in WAL mode with foreign keys on and options.busy_timeout;
// write transactions are serialised within the process (one writer), readers run beside them.
// kIo if the file cannot be opened; called through open_database.
Result<std::unique_ptr<Database>> open_sqlite_database(const DatabaseOptions& options);

}  // namespace pactum::store

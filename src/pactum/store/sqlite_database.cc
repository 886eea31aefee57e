#include "pactum/store/sqlite_database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pactum::store {
namespace {

// kStatementCacheLimit bounds the prepared statements kept per connection; Pactum's SQL is a
// fixed set of constant strings, so the cache only clears if someone builds SQL dynamically.
constexpr std::size_t kStatementCacheLimit = 512;

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode code = ErrorCode::kInternal;
  std::string_view kind = "sqlite error";
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = ErrorCode::kConflict;
        kind = "unique violation";
      } else {
        code = ErrorCode::kInvalidArgument;
        kind = "constraint violation";
      }
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ErrorCode::kRetryable;
      kind = "database busy";
      break;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOTADB:
      code = ErrorCode::kIo;
      kind = "database file error";
      break;
    default:
      break;
  }
  return Error{code, fmt::format("{}: {}: {}", what, kind, detail), std::nullopt};
}

std::unexpected<Error> sqlite_fail(sqlite3* db, int rc, std::string_view what) {
  return std::unexpected<Error>(sqlite_error(db, rc, what));
}

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(DbPtr db, std::timed_mutex* writer, std::chrono::milliseconds busy_timeout)
      : db_(std::move(db)), writer_(writer), busy_timeout_(busy_timeout) {}

  ~SqliteConnection() override {
    statements_.clear();  // before db_ closes
  }

  [[nodiscard]] Engine engine() const override { return Engine::kSqlite; }
  [[nodiscard]] bool broken() const override { return false; }

  Result<std::int64_t> run(std::string_view sql, std::span<const Param> params,
                           const RowCallback* on_row) override {
    auto prepared = prepare(sql);
    if (!prepared) {
      return std::unexpected(prepared.error());
    }
    sqlite3_stmt* statement = *prepared;
    // Reset on every way out so the statement holds no read lock and no bound views.
    struct Reset {
      sqlite3_stmt* statement;
      ~Reset() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
      }
    } reset{statement};

    const int expected = sqlite3_bind_parameter_count(statement);
    if (std::cmp_not_equal(expected, params.size())) {
      return fail(ErrorCode::kInternal,
                  fmt::format("statement wants {} parameters, got {}", expected, params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      Status bound = bind(statement, static_cast<int>(i + 1), params[i]);
      if (!bound) {
        return std::unexpected(bound.error());
      }
    }
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        return sqlite_fail(db_.get(), rc, "statement failed");
      }
      if (on_row != nullptr) {
        Row row = read_row(statement);
        Status taken = (*on_row)(row);
        if (!taken) {
          return std::unexpected(taken.error());
        }
      }
    }
    return sqlite3_stmt_readonly(statement) != 0 ? 0 : sqlite3_changes64(db_.get());
  }

  Status run_script(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      Error error = sqlite_error(db_.get(), rc, "script failed");
      sqlite3_free(message);
      return std::unexpected(std::move(error));
    }
    return {};
  }

 protected:
  Status begin_transaction(TransactionMode mode) override {
    if (mode == TransactionMode::kWrite) {
      writer_lock_ = std::unique_lock(*writer_, std::defer_lock);
      if (!writer_lock_.try_lock_for(busy_timeout_)) {
        return fail(ErrorCode::kRetryable, "database busy: another write transaction is open");
      }
    }
    auto begun = run(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {}, nullptr);
    if (!begun) {
      release_writer();
      return std::unexpected(begun.error());
    }
    return {};
  }

  Status commit_transaction() override {
    auto committed = run("COMMIT", {}, nullptr);
    if (!committed) {
      return std::unexpected(committed.error());  // the caller rolls back, which releases
    }
    release_writer();
    return {};
  }

  Status rollback_transaction() override {
    Status result;
    if (sqlite3_get_autocommit(db_.get()) == 0) {
      auto rolled = run("ROLLBACK", {}, nullptr);
      if (!rolled) {
        result = std::unexpected(rolled.error());
      }
    }
    release_writer();
    return result;
  }

 private:
  void release_writer() {
    if (writer_lock_.owns_lock()) {
      writer_lock_.unlock();
    }
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) {
      return found->second.get();
    }
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return fail(ErrorCode::kInvalidArgument, "statement too long");
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StatementPtr statement(raw);
    if (rc != SQLITE_OK) {
      return sqlite_fail(db_.get(), rc, fmt::format("preparing `{}`", sql));
    }
    if (statement == nullptr) {
      return fail(ErrorCode::kInternal, "empty statement");
    }
    if (tail != nullptr && tail != sql.data() + sql.size() &&
        std::string_view(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail))
                .find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      return fail(ErrorCode::kInternal, "one statement per call (use run_script for several)");
    }
    if (statements_.size() >= kStatementCacheLimit) {
      statements_.clear();
    }
    sqlite3_stmt* kept = statement.get();
    statements_.emplace(std::move(key), std::move(statement));
    return kept;
  }

  Status bind(sqlite3_stmt* statement, int index, const Param& param) {
    int rc = SQLITE_OK;
    switch (param.kind()) {
      case Param::Kind::kNull:
        rc = sqlite3_bind_null(statement, index);
        break;
      case Param::Kind::kInt64:
        rc = sqlite3_bind_int64(statement, index, param.int64());
        break;
      case Param::Kind::kText:
        rc = sqlite3_bind_text64(statement, index, param.text().data(), param.text().size(),
                                 SQLITE_STATIC, SQLITE_UTF8);
        break;
      case Param::Kind::kBlob: {
        // A null pointer would bind NULL; an empty blob must stay an empty blob.
        static const std::uint8_t kEmpty = 0;
        const void* data = param.blob().empty() ? &kEmpty : param.blob().data();
        rc = sqlite3_bind_blob64(statement, index, data, param.blob().size(), SQLITE_STATIC);
        break;
      }
    }
    if (rc != SQLITE_OK) {
      return sqlite_fail(db_.get(), rc, fmt::format("binding parameter {}", index));
    }
    return {};
  }

  static Row read_row(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
          break;
        case SQLITE_TEXT: {
          const auto* text = sqlite3_column_text(statement, c);
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
          values.emplace_back(std::string(as_chars(ByteView(text, size))));
          break;
        }
        case SQLITE_BLOB: {
          const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, c));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
          values.emplace_back(data == nullptr ? Bytes{} : Bytes(data, data + size));
          break;
        }
        case SQLITE_FLOAT:
          // Pactum stores no floating point; surface it as text rather than lose it.
          values.emplace_back(fmt::format("{}", sqlite3_column_double(statement, c)));
          break;
        default:
          values.emplace_back(std::monostate{});
          break;
      }
    }
    return Row(std::move(values));
  }

  DbPtr db_;
  std::timed_mutex* writer_;
  std::chrono::milliseconds busy_timeout_;
  std::unique_lock<std::timed_mutex> writer_lock_;
  std::unordered_map<std::string, StatementPtr> statements_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(DatabaseOptions options, std::string path)
      : Database(Engine::kSqlite, std::move(options)), path_(std::move(path)) {}

 protected:
  Result<std::unique_ptr<Connection>> connect() override {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
        nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
      return sqlite_fail(db.get(), rc, fmt::format("opening {}", path_));
    }
    sqlite3_extended_result_codes(db.get(), 1);
    const auto timeout = options().busy_timeout.count();
    sqlite3_busy_timeout(db.get(), timeout > std::numeric_limits<int>::max()
                                       ? std::numeric_limits<int>::max()
                                       : static_cast<int>(timeout));
    auto connection = std::make_unique<SqliteConnection>(std::move(db), &writer_,
                                                         options().busy_timeout);
    // WAL lets readers run beside the one writer; synchronous=FULL makes every commit survive
    // a power loss, not only the ones before the last checkpoint; secure_delete zeroes deleted
    // rows in the file, so a destroyed data key does not linger in free pages.
    Status set = connection->run_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA secure_delete=ON;");
    if (!set) {
      return std::unexpected(set.error());
    }
    return std::unique_ptr<Connection>(std::move(connection));
  }

 private:
  std::string path_;
  std::timed_mutex writer_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite_database(const DatabaseOptions& options) {
  std::string path = options.url.substr(std::string_view("sqlite:").size());
  if (path.empty()) {
    return fail(ErrorCode::kInvalidArgument, "sqlite: URL without a file path");
  }
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(options, std::move(path)));
}

}  // namespace pactum::store

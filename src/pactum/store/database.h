#pragma once

// The one database interface of Pactum, with two back ends: SQLite (embedded, the default) and
// PostgreSQL (many nodes). Callers write SQL once, with `?` placeholders and typed binds; the
// PostgreSQL back end rewrites `?` to `$1, $2, ...` (skipping string literals, quoted identifiers
// and comments). Every statement is a prepared statement, cached per connection. Failures come
// back as Result with these codes:
//   kConflict    a unique or primary key is already taken
//   kInvalidArgument  another constraint refused the row (foreign key, NOT NULL, CHECK)
//   kNotFound    query_one found no row
//   kRetryable   serialization failure, deadlock or busy database: run the transaction again
//   kUnavailable the connection is lost or cannot be opened
//   kInternal    anything else (an SQL error is a bug in our SQL)
// Portable SQL: BIGINT/INTEGER, TEXT, `INSERT ... RETURNING`, `ON CONFLICT DO NOTHING`; results of
// aggregates that PostgreSQL types as numeric (SUM) must be cast to BIGINT.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::store {

// Engine names a back end.
enum class Engine : std::uint8_t { kSqlite, kPostgres };

// engine_name returns "sqlite" or "postgresql".
std::string_view engine_name(Engine engine);

// Param is one typed bind value: null, a 64-bit integer, text or a blob. It holds a view of text
// and blob bytes, which must outlive the statement call (a temporary in the argument list does).
class Param {
 public:
  enum class Kind : std::uint8_t { kNull, kInt64, kText, kBlob };

  Param(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): binds read as values
  Param(std::int64_t value) : kind_(Kind::kInt64), int_(value) {}  // NOLINT
  Param(int value) : kind_(Kind::kInt64), int_(value) {}           // NOLINT
  Param(std::string_view value) : kind_(Kind::kText), text_(value) {}  // NOLINT
  Param(const char* value) : kind_(Kind::kText), text_(value) {}       // NOLINT
  Param(const std::string& value) : kind_(Kind::kText), text_(value) {}  // NOLINT
  Param(ByteView value) : kind_(Kind::kBlob), blob_(value) {}            // NOLINT
  Param(const Bytes& value) : kind_(Kind::kBlob), blob_(value) {}        // NOLINT
  // An empty optional binds NULL, a full one its value.
  template <typename T>
  Param(const std::optional<T>& value) {  // NOLINT
    if (value) {
      *this = Param(*value);
    }
  }

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] std::int64_t int64() const { return int_; }
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] ByteView blob() const { return blob_; }

 private:
  Kind kind_ = Kind::kNull;
  std::int64_t int_ = 0;
  std::string_view text_;
  ByteView blob_;
};

// Value is one result cell: NULL, integer, text or blob.
using Value = std::variant<std::monostate, std::int64_t, std::string, Bytes>;

// Row is one result row. The typed getters fail with kInternal when the column does not exist or
// holds another type (a mismatch between our SQL and our code, never user input).
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] bool is_null(std::size_t column) const;

  [[nodiscard]] Result<std::int64_t> int64(std::size_t column) const;
  [[nodiscard]] Result<std::string> text(std::size_t column) const;
  [[nodiscard]] Result<Bytes> blob(std::size_t column) const;
  // take_blob moves a blob out of the row (large chunks are not copied).
  [[nodiscard]] Result<Bytes> take_blob(std::size_t column);
  // optional_* return nullopt for NULL.
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_int64(std::size_t column) const;
  [[nodiscard]] Result<std::optional<std::string>> optional_text(std::size_t column) const;

  [[nodiscard]] const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

// RowCallback receives each row of a result in turn; a failure stops the statement.
using RowCallback = std::function<Status(Row&)>;

// Executor runs statements: a Connection outside a transaction, or a Transaction. Repositories
// take an Executor& so they work either way.
class Executor {
 public:
  virtual ~Executor() = default;
  Executor() = default;
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // engine says which back end runs the statements (for the rare engine-specific SQL).
  [[nodiscard]] virtual Engine engine() const = 0;

  // run prepares sql (cached), binds params in order, executes it, passes every row to on_row
  // (may be null) and returns the number of rows changed (0 for a query). Fails as described at
  // the top of this file; the statement's effects are undone by the enclosing transaction.
  virtual Result<std::int64_t> run(std::string_view sql, std::span<const Param> params,
                                   const RowCallback* on_row) = 0;

  // execute runs a statement that returns no rows and returns the number of rows it changed.
  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Param> params = {});

  // query returns all rows of a statement.
  Result<std::vector<Row>> query(std::string_view sql, std::initializer_list<Param> params = {});

  // query_one returns the first row; kNotFound when there is none.
  Result<Row> query_one(std::string_view sql, std::initializer_list<Param> params = {});

  // query_optional returns the first row, or nullopt when there is none.
  Result<std::optional<Row>> query_optional(std::string_view sql,
                                            std::initializer_list<Param> params = {});

  // for_each streams the rows to on_row without collecting them.
  Status for_each(std::string_view sql, std::initializer_list<Param> params,
                  const RowCallback& on_row);
};

// TransactionMode: kWrite takes the write lock at BEGIN (SQLite `BEGIN IMMEDIATE`, one writer at
// a time, so a transaction never fails half-way for a lock it could not upgrade); kRead only
// reads (SQLite `BEGIN`, concurrent with the writer under WAL).
enum class TransactionMode : std::uint8_t { kWrite, kRead };

class Connection;

// Transaction is an open transaction on a connection: commit() makes its changes durable;
// destroying it without commit rolls it back. The connection must outlive it and may not be used
// directly while it is open.
class Transaction final : public Executor {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction() override;

  [[nodiscard]] Engine engine() const override;
  Result<std::int64_t> run(std::string_view sql, std::span<const Param> params,
                           const RowCallback* on_row) override;

  // commit ends the transaction keeping its changes; kRetryable if the database refused it for
  // a concurrent change (PostgreSQL serialization failure). The transaction is over either way.
  Status commit();

  // rollback ends the transaction discarding its changes.
  Status rollback();

 private:
  friend class Connection;
  explicit Transaction(Connection* connection) : connection_(connection) {}

  Connection* connection_ = nullptr;
};

// Connection is one session with the database. Not thread-safe: one thread uses it at a time
// (the pool hands it to one caller).
class Connection : public Executor {
 public:
  // begin opens a transaction; kRetryable if the write lock stays busy past the busy timeout.
  Result<Transaction> begin(TransactionMode mode = TransactionMode::kWrite);

  // run_script runs several statements separated by semicolons, without parameters (schema
  // migrations only; never with data from outside).
  virtual Status run_script(std::string_view sql) = 0;

  // broken says the connection is lost; the pool closes it instead of handing it out again.
  [[nodiscard]] virtual bool broken() const = 0;

 protected:
  friend class Transaction;
  virtual Status begin_transaction(TransactionMode mode) = 0;
  virtual Status commit_transaction() = 0;
  virtual Status rollback_transaction() = 0;
};

class Database;

// ConnectionLease is a connection borrowed from a Database's pool; destroying it returns the
// connection (or closes it, if it broke).
class ConnectionLease {
 public:
  ConnectionLease(Database* database, std::unique_ptr<Connection> connection)
      : database_(database), connection_(std::move(connection)) {}
  ConnectionLease(ConnectionLease&&) noexcept = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;
  ~ConnectionLease();

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  Database* database_;
  std::unique_ptr<Connection> connection_;
};

// DatabaseOptions configures open_database.
struct DatabaseOptions {
  // url is "sqlite:PATH" (a file path; the file is created) or a libpq connection URI
  // "postgresql://..." / "postgres://...".
  std::string url;
  // pool_size is the most connections open at once.
  std::size_t pool_size = 8;
  // busy_timeout is how long SQLite waits for another writer before kRetryable.
  std::chrono::milliseconds busy_timeout{5000};
  // acquire_timeout is how long acquire waits for a free connection before kUnavailable.
  std::chrono::milliseconds acquire_timeout{30000};
};

// Database is a thread-safe pool of connections to one database.
class Database {
 public:
  virtual ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] Engine engine() const { return engine_; }

  // pool_size is the most connections this pool opens at once (DatabaseOptions::pool_size).
  [[nodiscard]] std::size_t pool_size() const { return options_.pool_size; }

  // acquire lends a connection, opening one if fewer than pool_size exist, else waiting for one
  // to be returned; kUnavailable if none can be opened or none comes back in acquire_timeout.
  Result<ConnectionLease> acquire();

  // open_connections is how many connections exist (idle and lent); for tests and metrics.
  [[nodiscard]] std::size_t open_connections() const;

 protected:
  Database(Engine engine, DatabaseOptions options);
  // connect opens one new connection to the database.
  virtual Result<std::unique_ptr<Connection>> connect() = 0;
  [[nodiscard]] const DatabaseOptions& options() const { return options_; }

 private:
  friend class ConnectionLease;
  void release(std::unique_ptr<Connection> connection);

  struct Pool;
  Engine engine_;
  DatabaseOptions options_;
  std::unique_ptr<Pool> pool_;
};

// open_database opens (creating, for SQLite) the database named by options.url and checks that a
// first connection works. kInvalidArgument for an unknown URL scheme, kUnavailable or kIo if the
// database cannot be reached or opened.
Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options);

// in_transaction runs body(Transaction&) in a write transaction and commits it, running it again
// (up to attempts times) when the body or the commit fails with kRetryable. body returns Result<T>
// or Status; any other failure rolls back and is returned.
template <typename Body>
auto in_transaction(Database& database, Body&& body, int attempts = 5)
    -> decltype(body(std::declval<Transaction&>())) {
  using R = decltype(body(std::declval<Transaction&>()));
  for (int attempt = 1;; ++attempt) {
    auto lease = database.acquire();
    if (!lease) {
      return std::unexpected(lease.error());
    }
    auto transaction = (*lease)->begin(TransactionMode::kWrite);
    if (!transaction) {
      if (transaction.error().code == ErrorCode::kRetryable && attempt < attempts) {
        continue;
      }
      return std::unexpected(transaction.error());
    }
    R result = body(*transaction);
    if (result) {
      Status committed = transaction->commit();
      if (committed) {
        return result;
      }
      if (committed.error().code != ErrorCode::kRetryable || attempt >= attempts) {
        return std::unexpected(committed.error());
      }
      continue;
    }
    if (result.error().code != ErrorCode::kRetryable || attempt >= attempts) {
      return result;
    }
  }
}

}  // namespace pactum::store

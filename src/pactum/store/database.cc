#include "pactum/store/database.h"

#include <fmt/format.h>

#include <condition_variable>
#include <mutex>

#include "pactum/store/postgres_database.h"
#include "pactum/store/sqlite_database.h"

namespace pactum::store {

std::string_view engine_name(Engine engine) {
  return engine == Engine::kSqlite ? "sqlite" : "postgresql";
}

namespace {

const char* value_type_name(const Value& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return "integer";
    case 2:
      return "text";
    default:
      return "blob";
  }
}

template <typename T>
Result<const T*> cell_as(const std::vector<Value>& values, std::size_t column,
                         const char* wanted) {
  if (column >= values.size()) {
    return fail(ErrorCode::kInternal,
                fmt::format("column {} out of range (row has {})", column, values.size()));
  }
  const T* cell = std::get_if<T>(&values[column]);
  if (cell == nullptr) {
    return fail(ErrorCode::kInternal, fmt::format("column {} is {}, not {}", column,
                                                  value_type_name(values[column]), wanted));
  }
  return cell;
}

}  // namespace

bool Row::is_null(std::size_t column) const {
  return column >= values_.size() || std::holds_alternative<std::monostate>(values_[column]);
}

Result<std::int64_t> Row::int64(std::size_t column) const {
  auto cell = cell_as<std::int64_t>(values_, column, "integer");
  if (!cell) {
    return std::unexpected(cell.error());
  }
  return **cell;
}

Result<std::string> Row::text(std::size_t column) const {
  auto cell = cell_as<std::string>(values_, column, "text");
  if (!cell) {
    return std::unexpected(cell.error());
  }
  return **cell;
}

Result<Bytes> Row::blob(std::size_t column) const {
  auto cell = cell_as<Bytes>(values_, column, "blob");
  if (!cell) {
    return std::unexpected(cell.error());
  }
  return **cell;
}

Result<Bytes> Row::take_blob(std::size_t column) {
  auto cell = cell_as<Bytes>(values_, column, "blob");
  if (!cell) {
    return std::unexpected(cell.error());
  }
  return std::move(std::get<Bytes>(values_[column]));
}

Result<std::optional<std::int64_t>> Row::optional_int64(std::size_t column) const {
  if (column < values_.size() && is_null(column)) {
    return std::nullopt;
  }
  return int64(column);
}

Result<std::optional<std::string>> Row::optional_text(std::size_t column) const {
  if (column < values_.size() && is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

Result<std::int64_t> Executor::execute(std::string_view sql, std::initializer_list<Param> params) {
  return run(sql, std::span<const Param>(params.begin(), params.size()), nullptr);
}

Result<std::vector<Row>> Executor::query(std::string_view sql,
                                         std::initializer_list<Param> params) {
  std::vector<Row> rows;
  const RowCallback collect = [&rows](Row& row) -> Status {
    rows.push_back(std::move(row));
    return {};
  };
  auto ran = run(sql, std::span<const Param>(params.begin(), params.size()), &collect);
  if (!ran) {
    return std::unexpected(ran.error());
  }
  return rows;
}

Result<Row> Executor::query_one(std::string_view sql, std::initializer_list<Param> params) {
  auto row = query_optional(sql, params);
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return fail(ErrorCode::kNotFound, "no row found");
  }
  return std::move(**row);
}

Result<std::optional<Row>> Executor::query_optional(std::string_view sql,
                                                    std::initializer_list<Param> params) {
  std::optional<Row> first;
  const RowCallback keep_first = [&first](Row& row) -> Status {
    if (!first) {
      first = std::move(row);
    }
    return {};
  };
  auto ran = run(sql, std::span<const Param>(params.begin(), params.size()), &keep_first);
  if (!ran) {
    return std::unexpected(ran.error());
  }
  return first;
}

Status Executor::for_each(std::string_view sql, std::initializer_list<Param> params,
                          const RowCallback& on_row) {
  auto ran = run(sql, std::span<const Param>(params.begin(), params.size()), &on_row);
  if (!ran) {
    return std::unexpected(ran.error());
  }
  return {};
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ != nullptr) {
    // A failed rollback leaves nothing to do here: the back end marks the connection broken and
    // the pool closes it, which discards the transaction on the server.
    (void)connection_->rollback_transaction();
  }
}

Engine Transaction::engine() const { return connection_->engine(); }

Result<std::int64_t> Transaction::run(std::string_view sql, std::span<const Param> params,
                                      const RowCallback* on_row) {
  if (connection_ == nullptr) {
    return fail(ErrorCode::kInternal, "statement on a finished transaction");
  }
  return connection_->run(sql, params, on_row);
}

Status Transaction::commit() {
  if (connection_ == nullptr) {
    return fail(ErrorCode::kInternal, "commit of a finished transaction");
  }
  Connection* connection = std::exchange(connection_, nullptr);
  Status committed = connection->commit_transaction();
  if (!committed) {
    (void)connection->rollback_transaction();
  }
  return committed;
}

Status Transaction::rollback() {
  if (connection_ == nullptr) {
    return fail(ErrorCode::kInternal, "rollback of a finished transaction");
  }
  return std::exchange(connection_, nullptr)->rollback_transaction();
}

Result<Transaction> Connection::begin(TransactionMode mode) {
  Status begun = begin_transaction(mode);
  if (!begun) {
    return std::unexpected(begun.error());
  }
  return Transaction(this);
}

ConnectionLease::~ConnectionLease() {
  if (connection_ != nullptr && database_ != nullptr) {
    database_->release(std::move(connection_));
  }
}

struct Database::Pool {
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;
};

Database::Database(Engine engine, DatabaseOptions options)
    : engine_(engine), options_(std::move(options)), pool_(std::make_unique<Pool>()) {
  if (options_.pool_size == 0) {
    options_.pool_size = 1;
  }
}

Database::~Database() = default;

Result<ConnectionLease> Database::acquire() {
  std::unique_lock lock(pool_->mutex);
  const bool ready = pool_->returned.wait_for(lock, options_.acquire_timeout, [this] {
    return !pool_->idle.empty() || pool_->open < options_.pool_size;
  });
  if (!ready) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("no free database connection within {} ms",
                            options_.acquire_timeout.count()));
  }
  if (!pool_->idle.empty()) {
    std::unique_ptr<Connection> connection = std::move(pool_->idle.back());
    pool_->idle.pop_back();
    return ConnectionLease(this, std::move(connection));
  }
  ++pool_->open;
  lock.unlock();
  auto connection = connect();
  if (!connection) {
    lock.lock();
    --pool_->open;
    pool_->returned.notify_one();
    return std::unexpected(connection.error());
  }
  return ConnectionLease(this, std::move(*connection));
}

std::size_t Database::open_connections() const {
  std::lock_guard lock(pool_->mutex);
  return pool_->open;
}

void Database::release(std::unique_ptr<Connection> connection) {
  const bool broken = connection->broken();
  if (broken) {
    connection.reset();  // closed outside the lock: closing may wait on the network
  }
  std::lock_guard lock(pool_->mutex);
  if (broken) {
    --pool_->open;
  } else {
    pool_->idle.push_back(std::move(connection));
  }
  pool_->returned.notify_one();
}

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options) {
  std::unique_ptr<Database> database;
  const std::string_view url = options.url;
  if (url.starts_with("sqlite:")) {
    auto opened = open_sqlite_database(options);
    if (!opened) {
      return std::unexpected(opened.error());
    }
    database = std::move(*opened);
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto opened = open_postgres_database(options);
    if (!opened) {
      return std::unexpected(opened.error());
    }
    database = std::move(*opened);
  } else {
    return fail(ErrorCode::kInvalidArgument,
                "database URL must start with sqlite: or postgresql://");
  }
  auto first = database->acquire();
  if (!first) {
    return std::unexpected(first.error());
  }
  return database;
}

}  // namespace pactum::store

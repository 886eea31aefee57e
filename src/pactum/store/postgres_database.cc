#include "pactum/store/postgres_database.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <limits>
#include <unordered_map>
#include <vector>

namespace pactum::store {

Result<PostgresSql> to_postgres_placeholders(std::string_view sql) {
  PostgresSql out;
  out.text.reserve(sql.size() + 16);
  std::size_t i = 0;
  // copy_until copies sql[i..] through the first `end` after skip characters, or fails.
  auto copy_through = [&](std::string_view end, std::string_view what) -> Status {
    const std::size_t found = sql.find(end, i);
    if (found == std::string_view::npos) {
      return fail(ErrorCode::kInvalidArgument, fmt::format("unterminated {} in SQL", what));
    }
    out.text.append(sql.substr(i, found + end.size() - i));
    i = found + end.size();
    return {};
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A doubled quote inside is an escaped quote: two adjacent literals read the same way.
      out.text.push_back(c);
      ++i;
      Status copied = copy_through(std::string_view(&c, 1), c == '\'' ? "string" : "identifier");
      if (!copied) {
        return std::unexpected(copied.error());
      }
    } else if (sql.substr(i, 2) == "--") {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.text.append(sql.substr(i, stop - i));
      i = stop;
    } else if (sql.substr(i, 2) == "/*") {
      out.text.append("/*");
      i += 2;
      Status copied = copy_through("*/", "comment");
      if (!copied) {
        return std::unexpected(copied.error());
      }
    } else if (c == '$') {
      return fail(ErrorCode::kInvalidArgument,
                  "`$` in SQL: write placeholders as `?`; dollar quoting is not supported");
    } else if (c == '?') {
      ++out.placeholders;
      out.text.append(fmt::format("${}", out.placeholders));
      ++i;
    } else {
      out.text.push_back(c);
      ++i;
    }
  }
  return out;
}

namespace {

// Type oids from the server's catalog (pg_type.h is a server header, not in libpq-dev).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kNameOid = 19;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;

constexpr std::size_t kStatementCacheLimit = 512;

struct ResultClear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClear>;

struct ConnFinish {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnFinish>;

std::string trimmed(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

// result_error maps a failed result (or none) to an Error by SQLSTATE and connection state.
Error result_error(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string detail =
      trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  ErrorCode code = ErrorCode::kInternal;
  std::string_view kind = "postgresql error";
  if (PQstatus(conn) == CONNECTION_BAD || sqlstate.starts_with("08") ||
      sqlstate.starts_with("57P") || sqlstate.starts_with("53")) {
    code = ErrorCode::kUnavailable;
    kind = "connection lost";
  } else if (sqlstate == "23505") {
    code = ErrorCode::kConflict;
    kind = "unique violation";
  } else if (sqlstate.starts_with("23")) {
    code = ErrorCode::kInvalidArgument;
    kind = "constraint violation";
  } else if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    code = ErrorCode::kRetryable;
    kind = "serialization failure";
  }
  return Error{code,
               fmt::format("{}: {}{}: {}", what, kind,
                           sqlstate.empty() ? "" : fmt::format(" ({})", sqlstate), detail),
               std::nullopt};
}

bool command_ok(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::int64_t big_endian(const char* data, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) {
    value = (value << 8U) | static_cast<std::uint8_t>(data[i]);
  }
  // Sign-extend narrower integers.
  const auto bits = static_cast<unsigned>(size) * 8U;
  if (bits < 64 && bits > 0 && (value >> (bits - 1U)) != 0U) {
    value |= ~std::uint64_t{0} << bits;
  }
  return static_cast<std::int64_t>(value);
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(ConnPtr conn) : conn_(std::move(conn)) {}

  [[nodiscard]] Engine engine() const override { return Engine::kPostgres; }
  [[nodiscard]] bool broken() const override { return PQstatus(conn_.get()) != CONNECTION_OK; }

  Result<std::int64_t> run(std::string_view sql, std::span<const Param> params,
                           const RowCallback* on_row) override {
    auto name = prepare(sql, params.size());
    if (!name) {
      return std::unexpected(name.error());
    }
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    std::vector<std::string> texts(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& param = params[i];
      switch (param.kind()) {
        case Param::Kind::kNull:
          break;
        case Param::Kind::kInt64:
          texts[i] = std::to_string(param.int64());
          values[i] = texts[i].c_str();
          break;
        case Param::Kind::kText:
          if (param.text().find('\0') != std::string_view::npos) {
            return fail(ErrorCode::kInvalidArgument, "text parameter contains a NUL character");
          }
          texts[i] = std::string(param.text());
          values[i] = texts[i].c_str();
          break;
        case Param::Kind::kBlob: {
          if (param.blob().size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
            return fail(ErrorCode::kInvalidArgument, "blob parameter over 2 GiB");
          }
          static const char kEmpty = 0;
          values[i] = param.blob().empty() ? &kEmpty : as_chars(param.blob()).data();
          lengths[i] = static_cast<int>(param.blob().size());
          formats[i] = 1;
          break;
        }
      }
    }
    ResultPtr result(PQexecPrepared(conn_.get(), name->c_str(), static_cast<int>(params.size()),
                                    values.data(), lengths.data(), formats.data(), 1));
    if (result == nullptr || !command_ok(result.get())) {
      return std::unexpected(result_error(conn_.get(), result.get(), "statement failed"));
    }
    if (on_row != nullptr && PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
      const int rows = PQntuples(result.get());
      const int columns = PQnfields(result.get());
      for (int r = 0; r < rows; ++r) {
        auto row = read_row(result.get(), r, columns);
        if (!row) {
          return std::unexpected(row.error());
        }
        Status taken = (*on_row)(*row);
        if (!taken) {
          return std::unexpected(taken.error());
        }
      }
    }
    const char* changed = PQcmdTuples(result.get());
    if (PQresultStatus(result.get()) == PGRES_TUPLES_OK &&
        std::string_view(PQcmdStatus(result.get())).starts_with("SELECT")) {
      return 0;
    }
    std::int64_t count = 0;
    if (changed != nullptr) {
      const std::string_view digits(changed);
      std::from_chars(digits.data(), digits.data() + digits.size(), count);
    }
    return count;
  }

  Status run_script(std::string_view sql) override {
    const std::string text(sql);
    ResultPtr result(PQexec(conn_.get(), text.c_str()));
    if (result == nullptr || !command_ok(result.get())) {
      return std::unexpected(result_error(conn_.get(), result.get(), "script failed"));
    }
    return {};
  }

 protected:
  Status begin_transaction(TransactionMode mode) override {
    return run_script(mode == TransactionMode::kWrite ? "BEGIN" : "BEGIN READ ONLY");
  }
  Status commit_transaction() override { return run_script("COMMIT"); }
  Status rollback_transaction() override {
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
      return {};
    }
    return run_script("ROLLBACK");
  }

 private:
  Result<std::string> prepare(std::string_view sql, std::size_t params) {
    std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) {
      if (found->second.placeholders != params) {
        return fail(ErrorCode::kInternal,
                    fmt::format("statement wants {} parameters, got {}",
                                found->second.placeholders, params));
      }
      return found->second.name;
    }
    auto rewritten = to_postgres_placeholders(sql);
    if (!rewritten) {
      return std::unexpected(rewritten.error());
    }
    if (rewritten->placeholders != params) {
      return fail(ErrorCode::kInternal, fmt::format("statement wants {} parameters, got {}",
                                                    rewritten->placeholders, params));
    }
    if (statements_.size() >= kStatementCacheLimit) {
      ResultPtr cleared(PQexec(conn_.get(), "DEALLOCATE ALL"));
      if (cleared == nullptr || !command_ok(cleared.get())) {
        return std::unexpected(result_error(conn_.get(), cleared.get(), "DEALLOCATE"));
      }
      statements_.clear();
    }
    std::string name = fmt::format("pactum_{}", ++statement_counter_);
    ResultPtr result(PQprepare(conn_.get(), name.c_str(), rewritten->text.c_str(),
                               static_cast<int>(params), nullptr));
    if (result == nullptr || !command_ok(result.get())) {
      return std::unexpected(
          result_error(conn_.get(), result.get(), fmt::format("preparing `{}`", sql)));
    }
    statements_.emplace(std::move(key), Prepared{name, params});
    return name;
  }

  static Result<Row> read_row(const PGresult* result, int r, int columns) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c) != 0) {
        values.emplace_back(std::monostate{});
        continue;
      }
      const char* data = PQgetvalue(result, r, c);
      const int size = PQgetlength(result, r, c);
      const auto length = static_cast<std::size_t>(size);
      switch (PQftype(result, c)) {
        case kInt8Oid:
        case kInt4Oid:
        case kInt2Oid:
        case kBoolOid:
          if (size != 1 && size != 2 && size != 4 && size != 8) {
            return fail(ErrorCode::kInternal, "integer column of unexpected width");
          }
          values.emplace_back(PQftype(result, c) == kBoolOid ? std::int64_t{data[0] != 0}
                                                             : big_endian(data, size));
          break;
        case kTextOid:
        case kVarcharOid:
        case kBpcharOid:
        case kNameOid:
          values.emplace_back(std::string(data, length));
          break;
        case kByteaOid: {
          const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);  // NOLINT
          values.emplace_back(Bytes(bytes, bytes + length));
          break;
        }
        default:
          return fail(ErrorCode::kInternal,
                      fmt::format("column {} has type oid {}: cast it to BIGINT, TEXT or BYTEA",
                                  PQfname(result, c), PQftype(result, c)));
      }
    }
    return Row(std::move(values));
  }

  struct Prepared {
    std::string name;
    std::size_t placeholders = 0;
  };

  ConnPtr conn_;
  std::unordered_map<std::string, Prepared> statements_;
  std::uint64_t statement_counter_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(DatabaseOptions options)
      : Database(Engine::kPostgres, std::move(options)) {}

 protected:
  Result<std::unique_ptr<Connection>> connect() override {
    ConnPtr conn(PQconnectdb(options().url.c_str()));
    if (conn == nullptr) {
      return fail(ErrorCode::kUnavailable, "libpq could not allocate a connection");
    }
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      // The message may name host and user but never the password (libpq leaves it out).
      return fail(ErrorCode::kUnavailable,
                  fmt::format("cannot connect to PostgreSQL: {}", trimmed(PQerrorMessage(conn.get()))));
    }
    auto connection = std::make_unique<PostgresConnection>(std::move(conn));
    Status set = connection->run_script("SET client_min_messages TO WARNING");
    if (!set) {
      return std::unexpected(set.error());
    }
    return std::unique_ptr<Connection>(std::move(connection));
  }
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseOptions& options) {
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(options));
}

}  // namespace pactum::store

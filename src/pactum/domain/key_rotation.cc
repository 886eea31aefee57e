#include "pactum/domain/key_rotation.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "pactum/crypto/random.h"
#include "pactum/domain/pii_fields.h"

namespace pactum::domain {
namespace {

// SealedColumn is one sealed column of a table and the field it is sealed for.
struct SealedColumn {
  std::string_view column;
  std::string_view field;
  bool nullable = false;
};

// Table describes one table holding sealed values; index_column (if any) is the blind index of
// the first column's plaintext.
struct Table {
  std::string_view name;
  std::vector<SealedColumn> columns;
  std::string_view index_column;
};

const std::vector<Table>& sealed_tables() {
  static const std::vector<Table> tables = {
      {"users",
       {{"login_sealed", kUserLoginField, false},
        {"name_sealed", kUserNameField, false},
        {"id_number_sealed", kUserIdNumberField, true}},
       "login_index"},
      {"api_apps", {{"secret_sealed", kAppSecretField, false}}, ""},
  };
  return tables;
}

std::string column_list(const Table& table) {
  std::string out = "id";
  for (const SealedColumn& column : table.columns) {
    out += ", ";
    out += column.column;
  }
  return out;
}

// RowValues is one row as read: its id and each sealed column (nullopt for NULL).
struct RowValues {
  std::string id;
  std::vector<std::optional<Bytes>> sealed;
};

Result<RowValues> read_row(const Table& table, const store::Row& row) {
  RowValues values;
  auto id = row.text(0);
  if (!id) {
    return std::unexpected(id.error());
  }
  values.id = std::move(*id);
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (row.is_null(i + 1)) {
      if (!table.columns[i].nullable) {
        return fail(ErrorCode::kInternal, fmt::format("{} {}: {} is NULL", table.name, values.id,
                                                      table.columns[i].column));
      }
      values.sealed.emplace_back(std::nullopt);
      continue;
    }
    auto blob = row.blob(i + 1);
    if (!blob) {
      return std::unexpected(blob.error());
    }
    values.sealed.emplace_back(std::move(*blob));
  }
  return values;
}

// under_key says whether any sealed value of the row names key_id (or, with negate, any does
// not).
Result<bool> any_sealed_under(const RowValues& row, std::string_view key_id, bool negate) {
  for (const std::optional<Bytes>& sealed : row.sealed) {
    if (!sealed) {
      continue;
    }
    auto id = crypto::PiiCipher::key_id_of(*sealed);
    if (!id) {
      return std::unexpected(id.error());
    }
    if ((*id == key_id) != negate) {
      return true;
    }
  }
  return false;
}

// reseal_row seals every value of a row again under the current key and updates the row only
// if its first sealed column is still what was read (otherwise someone changed it meanwhile and
// the next run sees it). Returns whether the row was updated.
Result<bool> reseal_row(store::Transaction& tx, const Table& table, const RowValues& row,
                        const crypto::PiiCipher& cipher) {
  std::vector<Bytes> resealed;
  std::vector<store::Param> params;
  std::string assignments;
  std::optional<std::string> index;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (!row.sealed[i]) {
      continue;
    }
    if (i == 0 && !table.index_column.empty()) {
      auto plain = cipher.decrypt(*row.sealed[i], table.columns[i].field);
      if (!plain) {
        return std::unexpected(plain.error());
      }
      auto computed = cipher.blind_index(table.columns[i].field, *plain);
      auto sealed = cipher.encrypt(*plain, table.columns[i].field);
      crypto::cleanse(std::span(reinterpret_cast<std::uint8_t*>(plain->data()),  // NOLINT
                                plain->size()));
      if (!computed || !sealed) {
        return std::unexpected(!computed ? computed.error() : sealed.error());
      }
      index = std::move(*computed);
      resealed.push_back(std::move(*sealed));
    } else {
      auto sealed = cipher.reencrypt(*row.sealed[i], table.columns[i].field);
      if (!sealed) {
        return std::unexpected(sealed.error());
      }
      resealed.push_back(std::move(*sealed));
    }
    assignments += fmt::format("{}{} = ?", assignments.empty() ? "" : ", ",
                               table.columns[i].column);
  }
  for (const Bytes& value : resealed) {
    params.emplace_back(value);
  }
  if (index) {
    assignments += fmt::format(", {} = ?", table.index_column);
    params.emplace_back(*index);
  }
  params.emplace_back(row.id);
  params.emplace_back(*row.sealed[0]);
  const std::string sql = fmt::format("UPDATE {} SET {} WHERE id = ? AND {} = ?", table.name,
                                      assignments, table.columns[0].column);
  auto updated = tx.run(sql, params, nullptr);
  if (!updated) {
    return std::unexpected(updated.error());
  }
  return *updated == 1;
}

// reseal_batch re-seals the rows of one batch after `after` (id order) in one transaction and
// returns the last id seen (nullopt when the table is done) and how many rows it changed.
Result<std::pair<std::optional<std::string>, std::size_t>> reseal_batch(
    store::Database& database, const Table& table, const crypto::PiiCipher& cipher,
    const std::string& after, std::size_t batch_size) {
  auto lease = database.acquire();
  if (!lease) {
    return std::unexpected(lease.error());
  }
  auto tx = (*lease)->begin(store::TransactionMode::kWrite);
  if (!tx) {
    return std::unexpected(tx.error());
  }
  const std::string select = fmt::format("SELECT {} FROM {} WHERE id > ? ORDER BY id LIMIT ?",
                                         column_list(table), table.name);
  auto rows = tx->query(select, {after, static_cast<std::int64_t>(batch_size)});
  if (!rows) {
    return std::unexpected(rows.error());
  }
  std::size_t changed = 0;
  std::optional<std::string> last;
  for (const store::Row& raw : *rows) {
    auto row = read_row(table, raw);
    if (!row) {
      return std::unexpected(row.error());
    }
    last = row->id;
    auto stale = any_sealed_under(*row, cipher.current_key_id(), true);
    if (!stale) {
      return std::unexpected(stale.error());
    }
    if (!*stale) {
      continue;
    }
    auto updated = reseal_row(*tx, table, *row, cipher);
    if (!updated) {
      return std::unexpected(Error{updated.error().code,
                                   fmt::format("{} {}: {}", table.name, row->id,
                                               updated.error().message),
                                   std::nullopt});
    }
    if (*updated) {
      ++changed;
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return std::unexpected(committed.error());
  }
  if (rows->size() < batch_size) {
    last.reset();
  }
  return std::pair(std::move(last), changed);
}

}  // namespace

Result<ResealProgress> reseal_personal_data(store::Database& database,
                                            const crypto::PiiCipher& cipher,
                                            std::size_t batch_size,
                                            const AfterBatch& after_batch) {
  if (batch_size == 0) {
    return fail(ErrorCode::kInvalidArgument, "batch size must be at least 1");
  }
  ResealProgress progress;
  for (const Table& table : sealed_tables()) {
    std::string after;  // ids are non-empty text, so "" sorts before every one
    for (;;) {
      auto batch = reseal_batch(database, table, cipher, after, batch_size);
      if (!batch) {
        return std::unexpected(batch.error());
      }
      (table.name == "users" ? progress.users : progress.apps) += batch->second;
      ++progress.batches;
      if (after_batch) {
        if (Status go_on = after_batch(progress); !go_on) {
          return std::unexpected(go_on.error());
        }
      }
      if (!batch->first) {
        break;
      }
      after = std::move(*batch->first);
    }
  }
  return progress;
}

Result<std::size_t> count_personal_data_under(store::Database& database,
                                              std::string_view key_id) {
  auto lease = database.acquire();
  if (!lease) {
    return std::unexpected(lease.error());
  }
  std::size_t count = 0;
  for (const Table& table : sealed_tables()) {
    const std::string select =
        fmt::format("SELECT {} FROM {}", column_list(table), table.name);
    Status walked = (*lease)->for_each(select, {}, [&](store::Row& raw) -> Status {
      auto row = read_row(table, raw);
      if (!row) {
        return std::unexpected(row.error());
      }
      auto under = any_sealed_under(*row, key_id, false);
      if (!under) {
        return std::unexpected(under.error());
      }
      if (*under) {
        ++count;
      }
      return {};
    });
    if (!walked) {
      return std::unexpected(walked.error());
    }
  }
  return count;
}

}  // namespace pactum::domain

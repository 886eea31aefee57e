#include <fmt/format.h>

#include "pactum/store/blob_store.h"

namespace pactum::store {
namespace {

// DatabaseWriter inserts one row per chunk inside one transaction, committed at the end.
class DatabaseWriter final : public CiphertextWriter {
 public:
  DatabaseWriter(ConnectionLease lease, Transaction transaction, std::string id)
      : lease_(std::move(lease)), transaction_(std::move(transaction)), id_(std::move(id)) {}

  Status append(ByteView sealed_chunk) override {
    auto inserted = transaction_.execute(
        "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)",
        {id_, next_, sealed_chunk});
    if (!inserted) {
      return std::unexpected(inserted.error());
    }
    ++next_;
    return {};
  }

  Status commit() override { return transaction_.commit(); }

 private:
  ConnectionLease lease_;  // declared first: outlives the transaction
  Transaction transaction_;
  std::string id_;
  std::int64_t next_ = 0;
};

class DatabaseCiphertexts final : public CiphertextStore {
 public:
  explicit DatabaseCiphertexts(Database& database) : database_(database) {}

  Result<std::unique_ptr<CiphertextWriter>> create(std::string_view id) override {
    if (!is_valid_blob_id(id)) {
      return fail(ErrorCode::kInvalidArgument, "invalid blob id");
    }
    auto lease = database_.acquire();
    if (!lease) {
      return std::unexpected(lease.error());
    }
    auto transaction = (*lease)->begin(TransactionMode::kWrite);
    if (!transaction) {
      return std::unexpected(transaction.error());
    }
    auto existing = transaction->query_optional(
        "SELECT seq FROM blob_chunks WHERE blob_id = ? AND seq = 0", {id});
    if (!existing) {
      return std::unexpected(existing.error());
    }
    if (*existing) {
      return fail(ErrorCode::kConflict, fmt::format("blob {} exists", id));
    }
    return std::unique_ptr<CiphertextWriter>(std::make_unique<DatabaseWriter>(
        std::move(*lease), std::move(*transaction), std::string(id)));
  }

  Status read(std::string_view id, std::uint64_t chunk_count, std::size_t sealed_chunk_size,
              const ChunkSink& sink) const override {
    if (!is_valid_blob_id(id)) {
      return fail(ErrorCode::kInvalidArgument, "invalid blob id");
    }
    auto lease = database_.acquire();
    if (!lease) {
      return std::unexpected(lease.error());
    }
    // One row per query: a 200 MB blob never sits in one result set.
    for (std::uint64_t index = 0; index < chunk_count; ++index) {
      auto row = (*lease)->query_optional(
          "SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?",
          {id, static_cast<std::int64_t>(index)});
      if (!row) {
        return std::unexpected(row.error());
      }
      if (!*row) {
        return fail(index == 0 ? ErrorCode::kNotFound : ErrorCode::kMalformed,
                    fmt::format("blob {} chunk {} is missing", id, index));
      }
      auto data = (*row)->take_blob(0);
      if (!data) {
        return std::unexpected(data.error());
      }
      const bool last = index + 1 == chunk_count;
      if (data->size() > sealed_chunk_size || (!last && data->size() != sealed_chunk_size)) {
        return fail(ErrorCode::kMalformed,
                    fmt::format("blob {} chunk {} has the wrong length", id, index));
      }
      if (Status ok = sink(index, *data); !ok) {
        return ok;
      }
    }
    auto extra = (*lease)->query_optional(
        "SELECT seq FROM blob_chunks WHERE blob_id = ? AND seq >= ?",
        {id, static_cast<std::int64_t>(chunk_count)});
    if (!extra) {
      return std::unexpected(extra.error());
    }
    if (*extra) {
      return fail(ErrorCode::kMalformed, fmt::format("blob {} has extra chunks", id));
    }
    return {};
  }

  Status remove(std::string_view id) override {
    if (!is_valid_blob_id(id)) {
      return fail(ErrorCode::kInvalidArgument, "invalid blob id");
    }
    auto lease = database_.acquire();
    if (!lease) {
      return std::unexpected(lease.error());
    }
    auto deleted = (*lease)->execute("DELETE FROM blob_chunks WHERE blob_id = ?", {id});
    if (!deleted) {
      return std::unexpected(deleted.error());
    }
    if (*deleted == 0) {
      return fail(ErrorCode::kNotFound, fmt::format("no ciphertext for blob {}", id));
    }
    return {};
  }

 private:
  Database& database_;
};

}  // namespace

std::unique_ptr<CiphertextStore> database_ciphertexts(Database& database) {
  return std::make_unique<DatabaseCiphertexts>(database);
}

}  // namespace pactum::store

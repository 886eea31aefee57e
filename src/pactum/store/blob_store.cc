#include "pactum/store/blob_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>
#include <utility>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/aead.h"
#include "pactum/crypto/random.h"
#include "pactum/store/migrations.h"

namespace pactum::store {
namespace {

constexpr std::size_t kBlobIdBytes = 16;
// kBlobFormatV1: chunked AES-256-GCM (crypto::seal_chunk) under a data key wrapped by the keyring.
constexpr std::int64_t kBlobFormatV1 = 1;

constexpr std::array<Migration, 2> kStoreMigrations{{
    {1, "blob_keys_and_chunks",
     "CREATE TABLE blob_keys ("
     " blob_id TEXT PRIMARY KEY,"
     " key_id TEXT NOT NULL,"
     " wrapped_key {{BLOB}} NOT NULL,"
     " format INTEGER NOT NULL,"
     " chunk_size BIGINT NOT NULL,"
     " size BIGINT NOT NULL);"
     "CREATE INDEX blob_keys_key_id ON blob_keys (key_id);"
     "CREATE TABLE blob_chunks ("
     " blob_id TEXT NOT NULL,"
     " seq BIGINT NOT NULL,"
     " data {{BLOB}} NOT NULL,"
     " PRIMARY KEY (blob_id, seq))",
     ""},
    // PostgreSQL only: crypto-shredding rewrites the key table with VACUUM FULL (remove), so the
    // table is split into 64 hash partitions and only the deleted row's partition is rewritten,
    // 1/64 of the copy and of the time other documents' reads wait. SQLite needs nothing.
    {2, "blob_keys_hash_partitions", "",
     "ALTER TABLE blob_keys RENAME TO blob_keys_unpartitioned;"
     "ALTER INDEX blob_keys_pkey RENAME TO blob_keys_unpartitioned_pkey;"
     "ALTER INDEX blob_keys_key_id RENAME TO blob_keys_unpartitioned_key_id;"
     "CREATE TABLE blob_keys ("
     " blob_id TEXT PRIMARY KEY,"
     " key_id TEXT NOT NULL,"
     " wrapped_key BYTEA NOT NULL,"
     " format INTEGER NOT NULL,"
     " chunk_size BIGINT NOT NULL,"
     " size BIGINT NOT NULL) PARTITION BY HASH (blob_id);"
     "DO $$ BEGIN FOR i IN 0..63 LOOP EXECUTE format("
     "'CREATE TABLE blob_keys_p%s PARTITION OF blob_keys FOR VALUES WITH (MODULUS 64, REMAINDER "
     "%s)',"
     " lpad(i::text, 2, '0'), i); END LOOP; END $$;"
     "CREATE INDEX blob_keys_key_id ON blob_keys (key_id);"
     "INSERT INTO blob_keys SELECT * FROM blob_keys_unpartitioned;"
     "DROP TABLE blob_keys_unpartitioned"},
}};

std::string wrap_context(std::string_view id) { return fmt::format("blob:{}", id); }

std::string chunk_aad(std::string_view id) { return fmt::format("pactum-blob-v1\n{}", id); }

std::uint64_t chunk_count(std::uint64_t size, std::size_t chunk_size) {
  return size == 0 ? 1 : (size + chunk_size - 1) / chunk_size;
}

// SecretBytes wipes a data key when it goes out of scope, on every path.
struct SecretBytes {
  Bytes bytes;
  SecretBytes() = default;
  explicit SecretBytes(Bytes b) : bytes(std::move(b)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { crypto::cleanse(bytes); }
};

}  // namespace

bool is_valid_blob_id(std::string_view id) {
  return id.size() == 2 * kBlobIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<int> apply_store_migrations(Database& database) {
  return apply_migrations(database, "store", kStoreMigrations);
}

struct BlobStore::KeyRecord {
  crypto::WrappedKey wrapped;
  std::size_t chunk_size = 0;
  std::uint64_t size = 0;
};

BlobStore::BlobStore(Database& database, const crypto::Keyring& keyring,
                     std::unique_ptr<CiphertextStore> ciphertexts, std::size_t chunk_size)
    : database_(database),
      keyring_(keyring),
      ciphertexts_(std::move(ciphertexts)),
      chunk_size_(std::max<std::size_t>(chunk_size, 1)) {}

Result<std::string> BlobStore::put_bytes(ByteView content) { return put(*view_source(content)); }

Result<std::string> BlobStore::put(const ByteSource& content) {
  auto id_bytes = crypto::random_bytes(kBlobIdBytes);
  if (!id_bytes) {
    return std::unexpected(id_bytes.error());
  }
  const std::string id = to_hex(*id_bytes);
  auto key_bytes = crypto::random_bytes(crypto::kAeadKeySize);
  if (!key_bytes) {
    return std::unexpected(key_bytes.error());
  }
  const SecretBytes data_key(std::move(*key_bytes));
  auto wrapped = keyring_.wrap(data_key.bytes, wrap_context(id));
  if (!wrapped) {
    return std::unexpected(wrapped.error());
  }

  auto writer = ciphertexts_->create(id);
  if (!writer) {
    return std::unexpected(writer.error());
  }
  const std::uint64_t size = content.size();
  const std::uint64_t chunks = chunk_count(size, chunk_size_);
  const std::string aad = chunk_aad(id);
  const ByteView memory = content.memory();
  Bytes buffer(memory.empty() ? static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size_, size))
                              : 0);
  for (std::uint64_t index = 0; index < chunks; ++index) {
    const std::uint64_t offset = index * chunk_size_;
    const auto length =
        static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size_, size - offset));
    ByteView plain;
    if (!memory.empty()) {
      plain = memory.subspan(static_cast<std::size_t>(offset), length);
    } else {
      std::span<std::uint8_t> out(buffer.data(), length);
      if (Status ok = content.read(offset, out); !ok) {
        return std::unexpected(ok.error());
      }
      plain = out;
    }
    auto sealed =
        crypto::seal_chunk(data_key.bytes, as_bytes(aad), index, index + 1 == chunks, plain);
    if (!sealed) {
      return std::unexpected(sealed.error());
    }
    if (Status ok = (*writer)->append(*sealed); !ok) {
      return std::unexpected(ok.error());
    }
  }
  crypto::cleanse(buffer);
  if (Status ok = (*writer)->commit(); !ok) {
    return std::unexpected(ok.error());
  }
  writer->reset();

  auto lease = database_.acquire();
  auto recorded =
      lease ? (*lease)->execute(
                  "INSERT INTO blob_keys (blob_id, key_id, wrapped_key, format, chunk_size, size)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  {id, wrapped->key_id, wrapped->sealed, kBlobFormatV1,
                   static_cast<std::int64_t>(chunk_size_), static_cast<std::int64_t>(size)})
            : Result<std::int64_t>(std::unexpected(lease.error()));
  if (!recorded) {
    // Without its key the ciphertext is noise; remove it so nothing is left over.
    (void)ciphertexts_->remove(id);
    return std::unexpected(recorded.error());
  }
  return id;
}

Result<BlobStore::KeyRecord> BlobStore::load_key(std::string_view id) const {
  if (!is_valid_blob_id(id)) {
    return fail(ErrorCode::kInvalidArgument, "invalid blob id");
  }
  auto lease = database_.acquire();
  if (!lease) {
    return std::unexpected(lease.error());
  }
  auto row = (*lease)->query_optional(
      "SELECT key_id, wrapped_key, format, chunk_size, size FROM blob_keys WHERE blob_id = ?",
      {id});
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return fail(ErrorCode::kNotFound, fmt::format("no blob {}", id));
  }
  auto key_id = (*row)->text(0);
  auto wrapped = (*row)->take_blob(1);
  auto format = (*row)->int64(2);
  auto chunk_size = (*row)->int64(3);
  auto size = (*row)->int64(4);
  if (!key_id || !wrapped || !format || !chunk_size || !size) {
    return fail(ErrorCode::kInternal, "blob_keys row of unexpected shape");
  }
  if (*format != kBlobFormatV1 || *chunk_size <= 0 || *size < 0) {
    return fail(ErrorCode::kMalformed, fmt::format("blob {} has an unknown format", id));
  }
  return KeyRecord{{std::move(*key_id), std::move(*wrapped)},
                   static_cast<std::size_t>(*chunk_size),
                   static_cast<std::uint64_t>(*size)};
}

Status BlobStore::read(std::string_view id, const std::function<Status(ByteView)>& sink) const {
  auto record = load_key(id);
  if (!record) {
    return std::unexpected(record.error());
  }
  auto key_bytes = keyring_.unwrap(record->wrapped, wrap_context(id));
  if (!key_bytes) {
    return std::unexpected(key_bytes.error());
  }
  const SecretBytes data_key(std::move(*key_bytes));
  const std::uint64_t chunks = chunk_count(record->size, record->chunk_size);
  const std::string aad = chunk_aad(id);
  std::uint64_t delivered = 0;
  Status read = ciphertexts_->read(
      id, chunks, record->chunk_size + crypto::kAeadTagSize,
      [&](std::uint64_t index, ByteView sealed) -> Status {
        auto plain =
            crypto::open_chunk(data_key.bytes, as_bytes(aad), index, index + 1 == chunks, sealed);
        if (!plain) {
          return fail(plain.error().code,
                      fmt::format("blob {} chunk {}: {}", id, index, plain.error().message));
        }
        delivered += plain->size();
        Status taken = sink(*plain);
        crypto::cleanse(*plain);
        return taken;
      });
  if (!read) {
    return read;
  }
  if (delivered != record->size) {
    return fail(ErrorCode::kMalformed, fmt::format("blob {} has the wrong length", id));
  }
  return {};
}

Result<Bytes> BlobStore::read_all(std::string_view id) const {
  auto record_size = size(id);
  if (!record_size) {
    return std::unexpected(record_size.error());
  }
  Bytes out;
  out.reserve(static_cast<std::size_t>(*record_size));
  Status read_ok = read(id, [&out](ByteView chunk) -> Status {
    out.insert(out.end(), chunk.begin(), chunk.end());
    return {};
  });
  if (!read_ok) {
    crypto::cleanse(out);
    return std::unexpected(read_ok.error());
  }
  return out;
}

Status BlobStore::read_to_file(std::string_view id, const std::string& path) const {
  if (!is_valid_blob_id(id)) {
    return fail(ErrorCode::kInvalidArgument, "invalid blob id");
  }
  auto file = AtomicFile::create(path, 0600);
  if (!file) {
    return std::unexpected(file.error());
  }
  Status read_ok = read(id, [&file](ByteView chunk) { return file->write(chunk); });
  if (!read_ok) {
    return read_ok;  // the AtomicFile's destructor removes the partial temporary file
  }
  return file->commit();
}

Result<std::uint64_t> BlobStore::size(std::string_view id) const {
  auto record = load_key(id);
  if (!record) {
    return std::unexpected(record.error());
  }
  return record->size;
}

namespace {

// How long remove waits on PostgreSQL for transactions that could still see the deleted key row.
constexpr int kSnapshotPolls = 100;
constexpr auto kSnapshotPoll = std::chrono::milliseconds(50);

// DeletedKeyRow is what delete_key_row did: how many rows it deleted and, on PostgreSQL, the
// deleting transaction's id (as text) and the partition that held the row.
struct DeletedKeyRow {
  std::int64_t count = 0;
  std::string xid;
  std::string partition;
};

// delete_key_row deletes a blob's key row (DeletedKeyRow).
Result<DeletedKeyRow> delete_key_row(Connection& connection, std::string_view id) {
  if (connection.engine() == Engine::kSqlite) {
    auto deleted = connection.execute("DELETE FROM blob_keys WHERE blob_id = ?", {id});
    if (!deleted) {
      return std::unexpected(deleted.error());
    }
    return DeletedKeyRow{*deleted, {}, {}};
  }
  auto tx = connection.begin(TransactionMode::kWrite);
  if (!tx) {
    return std::unexpected(tx.error());
  }
  auto deleted = tx->query(
      "DELETE FROM blob_keys WHERE blob_id = ? "
      "RETURNING CAST(CAST(tableoid AS regclass) AS TEXT)",
      {id});
  if (!deleted) {
    return std::unexpected(deleted.error());
  }
  std::string partition;
  if (!deleted->empty()) {
    auto name = deleted->front().text(0);
    if (!name) {
      return std::unexpected(name.error());
    }
    partition = std::move(*name);
  }
  auto xid = tx->query_one("SELECT CAST(CAST(pg_current_xact_id() AS xid) AS TEXT)");
  if (!xid) {
    return std::unexpected(xid.error());
  }
  auto text = xid->text(0);
  if (!text) {
    return std::unexpected(text.error());
  }
  if (Status committed = tx->commit(); !committed) {
    return std::unexpected(committed.error());
  }
  return DeletedKeyRow{static_cast<std::int64_t>(deleted->size()), std::move(*text),
                       std::move(partition)};
}

// wait_for_older_snapshots waits until no other session holds a snapshot or a transaction that
// began before the delete (xid) committed: VACUUM FULL keeps a dead row such a session may still
// see. Sessions of every database count, not only this one: some (a CREATE DATABASE running,
// for one) hold back the horizon of all databases. The sessions are read from
// pg_stat_activity, which shows every session's backend_xmin and backend_xid to any role.
// kUnavailable if some session still holds one after about 5 s.
Status wait_for_older_snapshots(Connection& connection, const std::string& xid) {
  for (int poll = 0; poll < kSnapshotPolls; ++poll) {
    auto older = connection.query_one(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_activity "
        "WHERE pid <> pg_backend_pid() AND ("
        "(backend_xmin IS NOT NULL AND age(backend_xmin) >= age(CAST(CAST(? AS TEXT) AS xid))) OR "
        "(backend_xid IS NOT NULL AND age(backend_xid) > age(CAST(CAST(? AS TEXT) AS xid))))",
        {xid, xid});
    if (!older) {
      return std::unexpected(older.error());
    }
    auto count = older->int64(0);
    if (!count) {
      return std::unexpected(count.error());
    }
    if (*count == 0) {
      return {};
    }
    std::this_thread::sleep_for(kSnapshotPoll);
  }
  return fail(ErrorCode::kUnavailable,
              "another session kept a snapshot from before the delete open for too long");
}

// vacuum_key_table rewrites blob_keys on PostgreSQL after a delete has committed. A DELETE only
// marks the row dead, and a plain VACUUM frees its space without overwriting it (a row at the
// low end of its page stays in the page's hole, byte for byte), so the wrapped key would stay in
// the heap. VACUUM FULL copies the live rows into a new file and unlinks the old one; it keeps a
// dead row that an older snapshot may still see, so it runs once none is left. It cannot run
// inside a transaction (the lease is outside one: the delete has committed) and holds an
// exclusive lock on blob_keys for as long as the copy takes.
// Only the partition that held the row is rewritten (migration 2); its name comes from
// PostgreSQL's catalog and is checked before it goes into the statement, which takes no
// parameters.
Status vacuum_key_table(Connection& connection, const DeletedKeyRow& deleted) {
  const std::string& table = deleted.partition;
  const bool partition_name =
      table.size() == 13 && table.starts_with("blob_keys_p") &&
      std::all_of(table.begin() + 11, table.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (table != "blob_keys" && !partition_name) {
    return fail(ErrorCode::kInternal, fmt::format("unexpected key table {}", table));
  }
  if (Status waited = wait_for_older_snapshots(connection, deleted.xid); !waited) {
    return waited;
  }
  return connection.run_script("VACUUM (FULL) " + table);
}

}  // namespace

Status BlobStore::remove(std::string_view id) {
  if (!is_valid_blob_id(id)) {
    return fail(ErrorCode::kInvalidArgument, "invalid blob id");
  }
  {
    auto lease = database_.acquire();
    if (!lease) {
      return std::unexpected(lease.error());
    }
    auto deleted = delete_key_row(**lease, id);
    if (!deleted) {
      return std::unexpected(deleted.error());
    }
    if (deleted->count == 0) {
      return fail(ErrorCode::kNotFound, fmt::format("no blob {}", id));
    }
    if ((*lease)->engine() == Engine::kSqlite) {
      // secure_delete zeroed the row in the database pages; the WAL still holds the page as it
      // was until a checkpoint copies it back and truncates the log. With readers open the
      // checkpoint cannot finish now; a later delete or SQLite's own checkpoint completes it.
      (void)(*lease)->query("PRAGMA wal_checkpoint(TRUNCATE)");
    } else if (Status vacuumed = vacuum_key_table(**lease, *deleted); !vacuumed) {
      return fail(vacuumed.error().code,
                  fmt::format("blob {}: key deleted, but the key table could not be rewritten, "
                              "so its bytes may remain in a dead row until the next VACUUM: {}",
                              id, vacuumed.error().message));
    }
  }
  Status removed = ciphertexts_->remove(id);
  if (!removed && removed.error().code != ErrorCode::kNotFound) {
    return fail(ErrorCode::kIo,
                fmt::format("blob {}: key destroyed (unreadable), but its ciphertext remains: {}",
                            id, removed.error().message));
  }
  return {};
}

Result<std::size_t> BlobStore::rewrap_keys(std::size_t batch_size) {
  if (batch_size == 0) {
    return fail(ErrorCode::kInvalidArgument, "batch size must be at least 1");
  }
  auto lease = database_.acquire();
  if (!lease) {
    return std::unexpected(lease.error());
  }
  std::size_t rewrapped = 0;
  std::string after;  // ids are 32 hex digits, so "" sorts before every one
  for (;;) {
    auto rows = (*lease)->query(
        "SELECT blob_id, key_id, wrapped_key FROM blob_keys WHERE key_id <> ? AND blob_id > ? "
        "ORDER BY blob_id LIMIT ?",
        {keyring_.current_id(), after, static_cast<std::int64_t>(batch_size)});
    if (!rows) {
      return std::unexpected(rows.error());
    }
    for (Row& row : *rows) {
      auto id = row.text(0);
      auto key_id = row.text(1);
      auto sealed = row.take_blob(2);
      if (!id || !key_id || !sealed) {
        return fail(ErrorCode::kInternal, "blob_keys row of unexpected shape");
      }
      after = *id;
      auto key_bytes = keyring_.unwrap({*key_id, std::move(*sealed)}, wrap_context(*id));
      if (!key_bytes) {
        return fail(key_bytes.error().code,
                    fmt::format("blob {}: {}", *id, key_bytes.error().message));
      }
      const SecretBytes data_key(std::move(*key_bytes));
      auto wrapped = keyring_.wrap(data_key.bytes, wrap_context(*id));
      if (!wrapped) {
        return std::unexpected(wrapped.error());
      }
      // Only if nobody rewrapped or deleted it meanwhile; each row is its own statement, so a
      // run stopped midway leaves every key wrapped under one key of the ring or the other.
      auto updated = (*lease)->execute(
          "UPDATE blob_keys SET key_id = ?, wrapped_key = ? WHERE blob_id = ? AND key_id = ?",
          {wrapped->key_id, wrapped->sealed, *id, *key_id});
      if (!updated) {
        return std::unexpected(updated.error());
      }
      rewrapped += static_cast<std::size_t>(*updated);
    }
    if (rows->size() < batch_size) {
      return rewrapped;
    }
  }
}

Result<std::size_t> BlobStore::count_keys_under(std::string_view key_id) const {
  auto lease = database_.acquire();
  if (!lease) {
    return std::unexpected(lease.error());
  }
  auto row = (*lease)->query_one("SELECT CAST(COUNT(*) AS BIGINT) FROM blob_keys WHERE key_id = ?",
                                 {key_id});
  if (!row) {
    return std::unexpected(row.error());
  }
  auto count = row->int64(0);
  if (!count) {
    return std::unexpected(count.error());
  }
  return static_cast<std::size_t>(*count);
}

}  // namespace pactum::store

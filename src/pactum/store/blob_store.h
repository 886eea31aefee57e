#pragma once

// Encrypted storage of documents (一文一密: one key per document). Each blob is sealed with its
// own random AES-256-GCM data key in chunks (crypto/aead.h seal_chunk: 1 MiB by default, so a
// 200 MB document is never held in memory twice, and never at all when streamed from a file);
// the data key is wrapped by the keyring's current master key and stored with that key's id in
// the database table blob_keys. The ciphertext lives elsewhere: in files (DATA_DIR/blobs/xx/ID,
// the default for one node) or in the database (table blob_chunks, for many nodes sharing one
// PostgreSQL).
//
// Deleting a blob destroys its wrapped data key first (crypto-shredding: any copy of the
// ciphertext, in a backup or a stolen disk, becomes undecryptable), then its ciphertext. On
// SQLite the database runs with secure_delete and the WAL is checkpointed and truncated after a
// delete, so the wrapped key's bytes leave the files too. On PostgreSQL the deleted row's bytes
// stay in the table's pages until VACUUM reuses them, and in WAL archives and base backups: the
// logical content (pg_dump) no longer has them; physical shredding there depends on operations.
//
// Blob ids are 32 lower-case hexadecimal digits (128 random bits); anything else, in particular
// anything with a path separator or a dot, is refused with kInvalidArgument before any file or
// row is touched.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/keyring.h"
#include "pactum/store/database.h"

namespace pactum::store {

// is_valid_blob_id says whether id has the blob id format (32 lower-case hex digits).
bool is_valid_blob_id(std::string_view id);

// CiphertextWriter receives the sealed chunks of one new blob in order; nothing is visible until
// commit, and destroying it uncommitted leaves nothing behind.
class CiphertextWriter {
 public:
  virtual ~CiphertextWriter() = default;
  // append stores the next sealed chunk; kIo / database errors.
  virtual Status append(ByteView sealed_chunk) = 0;
  // commit makes all chunks durable and visible.
  virtual Status commit() = 0;
};

// ChunkSink receives the sealed chunks of a blob in order with their index.
using ChunkSink = std::function<Status(std::uint64_t index, ByteView sealed_chunk)>;

// CiphertextStore is where sealed chunks live. It never sees a key or a plaintext byte.
class CiphertextStore {
 public:
  virtual ~CiphertextStore() = default;
  // create starts a new blob; kConflict if the id exists.
  virtual Result<std::unique_ptr<CiphertextWriter>> create(std::string_view id) = 0;
  // read passes the blob's chunk_count chunks to sink; every chunk but the last is exactly
  // sealed_chunk_size bytes. kNotFound if the blob does not exist, kMalformed if its stored
  // length does not match.
  virtual Status read(std::string_view id, std::uint64_t chunk_count,
                      std::size_t sealed_chunk_size, const ChunkSink& sink) const = 0;
  // remove deletes a blob's ciphertext; kNotFound if absent.
  virtual Status remove(std::string_view id) = 0;
};

// filesystem_ciphertexts keeps each blob in DIR/xx/ID (xx = first two digits of the id), written
// atomically (temporary file, fsync, rename, fsync of the directory), mode 0600.
std::unique_ptr<CiphertextStore> filesystem_ciphertexts(std::string dir);

// database_ciphertexts keeps chunks as rows of blob_chunks (bytea on PostgreSQL), one row per
// chunk, in the database of the blob store.
std::unique_ptr<CiphertextStore> database_ciphertexts(Database& database);

// kDefaultBlobChunkSize is the plaintext size of each sealed chunk.
inline constexpr std::size_t kDefaultBlobChunkSize = std::size_t{1} << 20U;

// apply_store_migrations creates the store's tables (blob_keys, blob_chunks) if needed.
Result<int> apply_store_migrations(Database& database);

// BlobStore encrypts, stores, reads and destroys documents. Thread-safe if the keyring is not
// changed meanwhile. The database, keyring and ciphertext store must outlive it.
class BlobStore {
 public:
  BlobStore(Database& database, const crypto::Keyring& keyring,
            std::unique_ptr<CiphertextStore> ciphertexts,
            std::size_t chunk_size = kDefaultBlobChunkSize);

  // put encrypts everything in content under a fresh data key and returns the new blob's id.
  // Fails with the source's kIo, kCrypto, or the storage's error, leaving nothing stored.
  Result<std::string> put(const ByteSource& content);

  // put_bytes is put for bytes in memory.
  Result<std::string> put_bytes(ByteView content);

  // read decrypts blob id chunk by chunk into sink (at most one chunk in memory). The whole blob
  // is authenticated chunk by chunk: if any chunk fails, read stops with kCrypto after sink has
  // seen only authentic chunks, so a caller that must not act on a partial document writes to a
  // temporary place first (read_to_file does). kInvalidArgument for a malformed id, kNotFound
  // for an unknown or deleted one.
  Status read(std::string_view id, const std::function<Status(ByteView)>& sink) const;

  // read_all returns the whole plaintext.
  Result<Bytes> read_all(std::string_view id) const;

  // read_to_file writes the plaintext to path atomically (nothing at path unless all of it was
  // authentic), with mode 0600.
  Status read_to_file(std::string_view id, const std::string& path) const;

  // size returns the plaintext size of a blob.
  Result<std::uint64_t> size(std::string_view id) const;

  // remove crypto-shreds a blob: its wrapped data key is deleted, then its ciphertext.
  // kNotFound if there is no such blob. If the key is gone but the ciphertext could not be
  // removed, the blob is still unreadable and the error says so (kIo).
  Status remove(std::string_view id);

  // rewrap_keys rewraps every data key not wrapped under the keyring's current master key (after
  // Keyring::rotate) and returns how many it rewrapped; the old master key can be retired after.
  // It reads batch_size rows (>= 1, else kInvalidArgument) at a time in id order, so memory does
  // not grow with the number of documents; stopped midway, it can simply be run again.
  Result<std::size_t> rewrap_keys(std::size_t batch_size = 1000);

  // count_keys_under counts data keys still wrapped under master key key_id (0 before it may be
  // retired). Fails with the database's errors.
  [[nodiscard]] Result<std::size_t> count_keys_under(std::string_view key_id) const;

 private:
  struct KeyRecord;
  Result<KeyRecord> load_key(std::string_view id) const;

  Database& database_;
  const crypto::Keyring& keyring_;
  std::unique_ptr<CiphertextStore> ciphertexts_;
  std::size_t chunk_size_;
};

}  // namespace pactum::store

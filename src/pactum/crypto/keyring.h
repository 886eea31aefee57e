#pragma once

// The master keys of a data directory. Every secret at rest (documents' data keys, personal-data
// field keys, CA and TSA private keys) is wrapped or derived from a master key, and the master
// keys live only in one file, DATA_DIR/master.key, mode 0600:
//
//   pactum-keyring v1
//   key mk-<16 hex> <64 hex: 32 random bytes>
//   ...
//   current mk-<16 hex>
//
// Several keys can be held for rotation: rotate() adds a fresh key that becomes current; values
// wrapped under older keys still open (each wrapped value names its key id) until they are
// rewrapped (e.g. BlobStore::rewrap_keys) and the old key is retired. Not thread-safe while it is
// being changed; a server loads it once at start.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::crypto {

inline constexpr std::size_t kMasterKeySize = 32;

// MasterKey is one master key and its id; the key bytes are wiped when it is destroyed.
struct MasterKey {
  std::string id;
  std::array<std::uint8_t, kMasterKeySize> bytes{};

  MasterKey() = default;
  MasterKey(const MasterKey&) = default;
  MasterKey& operator=(const MasterKey&) = default;
  MasterKey(MasterKey&&) = default;
  MasterKey& operator=(MasterKey&&) = default;
  ~MasterKey();
};

// WrappedKey is a secret sealed under a master key: the id of that key and the AEAD value.
struct WrappedKey {
  std::string key_id;
  Bytes sealed;
};

class Keyring {
 public:
  // create writes a new key file at path with one fresh key (mode 0600). kConflict if a file is
  // already there (a master key is never silently replaced), kIo if it cannot be written.
  static Result<Keyring> create(const std::string& path);

  // load reads the key file. kNotFound if absent; kRefused if group or others may read it;
  // kMalformed if it does not parse (the message never contains key material).
  static Result<Keyring> load(const std::string& path);

  // load_or_create loads the file, creating it first if it does not exist.
  static Result<Keyring> load_or_create(const std::string& path);

  // current_id is the id of the key new values are wrapped under.
  [[nodiscard]] const std::string& current_id() const { return current_; }

  // ids lists the ids of every key held, oldest first.
  [[nodiscard]] std::vector<std::string> ids() const;

  // key returns the key with that id; kNotFound if the ring does not hold it.
  [[nodiscard]] Result<const MasterKey*> key(std::string_view key_id) const;

  // current returns the current key.
  [[nodiscard]] const MasterKey& current() const;

  // wrap seals secret under the current key, bound to context (a label saying what the secret
  // is for, e.g. "blob:<id>"): the same context must be given to unwrap.
  [[nodiscard]] Result<WrappedKey> wrap(ByteView secret, std::string_view context) const;

  // unwrap opens a wrapped value. kNotFound if its key is not in the ring (retired), kCrypto if
  // the value or the context is not the one wrapped.
  [[nodiscard]] Result<Bytes> unwrap(const WrappedKey& wrapped, std::string_view context) const;

  // rotate adds a fresh key, makes it current and rewrites the file atomically; returns its id.
  Result<std::string> rotate();

  // retire removes a key that is not current and rewrites the file; values still wrapped under
  // it can no longer be opened. kInvalidArgument for the current key, kNotFound if absent.
  Status retire(std::string_view key_id);

  // path is the file the ring was loaded from and is saved to.
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Status save() const;
  static Result<MasterKey> fresh_key();

  std::string path_;
  std::vector<MasterKey> keys_;
  std::string current_;
};

}  // namespace pactum::crypto

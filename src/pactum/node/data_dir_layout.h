#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace pactum::node {

// DataDirLayout names the files of a data directory, the one place that spells them (a test
// greps the rest of src/, apps/ and scripts/ for these names):
//   DIR/pactum.json    {"format":1,"database":URL,"base_url":URL}; its presence marks a complete
//                      data directory (`pactum init` writes it last)
//   DIR/master.key     the master keyring (mode 0600): wraps the PKI keys and document keys and
//                      derives the personal-data cipher's keys
//   DIR/pactum.db      the SQLite database (when the database is SQLite), migrated
//   DIR/pki/           the platform CA and TSA, keys sealed under the master key (a bare
//                      DIR/pki/ made by `pactum ca init` holds plaintext keys)
//   DIR/blobs/         documents' ciphertexts, one file each (store::filesystem_ciphertexts)
//   DIR/demo.json      the demo logins and API app of `pactum init --demo` (mode 0600)
//   DIR/keys.lock      flock(2)ed by `pactum keys` while it changes keys (node/key_rotation.h)
//   DIR/pactumd.lock   flock(2)ed by the pactumd serving DIR, for its whole life
// DIR itself is mode 0700. Messages and help texts name a file as
// DataDirLayout("DATA_DIR").config_file().string(), so they need not spell it either.
class DataDirLayout {
 public:
  explicit DataDirLayout(std::filesystem::path root) : root_(std::move(root)) {}

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  [[nodiscard]] std::filesystem::path config_file() const;
  [[nodiscard]] std::filesystem::path master_key() const;
  [[nodiscard]] std::filesystem::path pki_dir() const;
  [[nodiscard]] std::filesystem::path blobs_dir() const;
  [[nodiscard]] std::filesystem::path demo_file() const;
  [[nodiscard]] std::filesystem::path keys_lock() const;
  [[nodiscard]] std::filesystem::path server_lock() const;

  // is_data_dir says whether DIR holds the config file `pactum init` writes last.
  [[nodiscard]] bool is_data_dir() const;

  // has_pki says whether DIR/pki/ holds a platform PKI (sealed or plaintext).
  [[nodiscard]] bool has_pki() const;

  // resolve_database_url makes a relative SQLite path relative to DIR (so the directory can be
  // moved as a whole); other URLs are returned unchanged.
  [[nodiscard]] std::string resolve_database_url(const std::string& url) const;

 private:
  std::filesystem::path root_;
};

// kDefaultDatabaseUrl is the database of a data directory made without --database: the SQLite
// file DIR/pactum.db, recorded relative to DIR.
extern const std::string_view kDefaultDatabaseUrl;

}  // namespace pactum::node

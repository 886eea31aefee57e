#pragma once

#include <memory>
#include <optional>
#include <string>

#include "pactum/api/demo_seed.h"
#include "pactum/base/error.h"
#include "pactum/crypto/keyring.h"
#include "pactum/crypto/master_key_sealer.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/crypto_pii_cipher.h"
#include "pactum/domain/services.h"
#include "pactum/pki/platform_pki.h"
#include "pactum/store/database.h"

namespace pactum::api {

// A data directory holds everything one Pactum node (or, with PostgreSQL, the first of many)
// needs, created by `pactum init DIR` and opened by `pactumd --data DIR`:
//   DIR/pactum.json   {"format":1,"database":URL,"base_url":URL}; a SQLite URL is relative to DIR
//   DIR/master.key    the master keyring (mode 0600): wraps the PKI keys and derives the
//                     personal-data cipher's keys
//   DIR/pactum.db     the SQLite database (when the database is SQLite), migrated
//   DIR/pki/          the platform CA and TSA, keys sealed under the master key
// DIR itself is mode 0700.
inline constexpr std::string_view kDataConfigFile = "pactum.json";
inline constexpr std::string_view kMasterKeyFile = "master.key";
inline constexpr std::string_view kPkiDir = "pki";

// InitOptions is what `pactum init` takes.
struct InitOptions {
  std::string dir;
  std::string base_url = "http://127.0.0.1:8080";  // where pactumd will be reached (PKI URLs)
  std::string database_url;                          // empty: sqlite:pactum.db inside dir
  bool demo = false;
};

// InitResult says what init made; demo is set with InitOptions::demo.
struct InitResult {
  std::string database_url;
  std::optional<DemoData> demo;
};

// init_data_dir creates a data directory: kConflict if DIR already holds pactum.json (never
// overwritten); otherwise creates DIR (0700), the master keyring, the database with every
// migration (store's and the domain's), the platform PKI (CA + TSA, keys sealed by the master
// key) and, last, pactum.json, whose presence marks a complete directory. With demo, seeds the
// demo tenants (seed_demo) and writes DIR/demo.json (0600: the e-mail logins and passwords, the
// enterprise ids, the demo app's id and secret; the phone login is only printed). Fails with kIo, kCrypto or the database's errors.
Result<InitResult> init_data_dir(const InitOptions& options);

// DataDir is an opened data directory: the keyring, the personal-data cipher, the database pool,
// the domain's Services and the platform PKI. Thread-safe to use from the server's workers.
class DataDir {
 public:
  // open reads DIR/pactum.json, the keyring, opens the database (applying any new migrations)
  // and the PKI. kNotFound if DIR is not a data directory; the errors of each part otherwise.
  static Result<std::unique_ptr<DataDir>> open(const std::string& dir);

  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;
  ~DataDir();

  [[nodiscard]] const domain::Services& services() const { return *services_; }
  [[nodiscard]] store::Database& database() const { return *database_; }
  [[nodiscard]] pki::PlatformPki& pki() const { return *pki_; }
  [[nodiscard]] const crypto::KeySealer& key_sealer() const { return *sealer_; }
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  DataDir() = default;

  std::string base_url_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<crypto::PiiCipher> cipher_;
  std::unique_ptr<domain::CryptoPiiCipher> pii_;
  std::unique_ptr<crypto::MasterKeySealer> sealer_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<pki::PlatformPki> pki_;
  std::unique_ptr<domain::Services> services_;
};

}  // namespace pactum::api

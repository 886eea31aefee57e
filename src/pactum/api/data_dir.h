#pragma once

#include <memory>
#include <optional>
#include <string>

#include "pactum/api/demo_seed.h"
#include "pactum/api/messaging_providers.h"
#include "pactum/base/error.h"
#include "pactum/base/metrics.h"
#include "pactum/crypto/keyring.h"
#include "pactum/crypto/master_key_sealer.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/crypto_pii_cipher.h"
#include "pactum/domain/reloading_pii_cipher.h"
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
//   DIR/providers.json  the SMS and e-mail providers (api/messaging_providers.h); --demo writes
//                     the sandbox configuration
//   DIR/keys.lock     flock(2)ed by `pactum keys` while it changes keys (api/key_rotation.h)
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
// migration (store's, the domain's, messaging's and intent's), the platform PKI (CA + TSA, keys sealed by the master
// key) and, last, pactum.json, whose presence marks a complete directory. With demo, seeds the
// demo tenants (seed_demo) and writes DIR/demo.json (0600: the e-mail logins and passwords, the
// enterprise ids, the demo app's id and secret; the phone login is only printed). Fails with kIo, kCrypto or the database's errors.
Result<InitResult> init_data_dir(const InitOptions& options);

// data_dir_database_url reads DIR/pactum.json and returns its database URL, a relative SQLite
// path made relative to DIR. kNotFound if DIR is not a data directory, kMalformed if the file is
// not a valid config.
Result<std::string> data_dir_database_url(const std::string& dir);

// open_data_dir_database opens url and applies every migration (store's, the domain's,
// messaging's and intent's).
Result<std::unique_ptr<store::Database>> open_data_dir_database(const std::string& url);

// DataDirOverrides replace, for one process, what DIR/pactum.json records (pactumd's
// database_url and base_url settings); empty ones keep the recorded values.
struct DataDirOverrides {
  std::optional<std::string> database_url;  // a relative sqlite: path is relative to DIR
  std::optional<std::string> base_url;      // also the PKI's CDP/AIA/OCSP addresses
};

// DataDir is an opened data directory: the keyring, the personal-data cipher, the database pool,
// the domain's Services and the platform PKI. Thread-safe to use from the server's workers. The
// personal-data cipher follows changes of master.key made by `pactum keys` while it is open
// (domain::ReloadingPiiCipher); the PKI keys are unsealed once, at open.
class DataDir {
 public:
  // open reads DIR/pactum.json, the keyring, opens the database (applying any new migrations)
  // and the PKI, with overrides applied. kNotFound if DIR is not a data directory; the errors of
  // each part otherwise (kInvalidArgument for an unusable base URL).
  static Result<std::unique_ptr<DataDir>> open(const std::string& dir,
                                               const DataDirOverrides& overrides = {});

  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;
  ~DataDir();

  // count_into makes log-ins counted in registry (pactum_logins_total); call before serving.
  // The registry must outlive the DataDir.
  void count_into(metrics::Registry& registry);

  [[nodiscard]] const domain::Services& services() const { return *services_; }
  [[nodiscard]] store::Database& database() const { return *database_; }
  [[nodiscard]] pki::PlatformPki& pki() const { return *pki_; }
  [[nodiscard]] const crypto::KeySealer& key_sealer() const { return *sealer_; }
  [[nodiscard]] const std::string& base_url() const { return base_url_; }
  // database_url is the URL the database was opened with (a SQLite path made absolute).
  [[nodiscard]] const std::string& database_url() const { return database_url_; }

 private:
  DataDir() = default;

  std::string base_url_;
  std::string database_url_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<domain::ReloadingPiiCipher> pii_;
  std::unique_ptr<crypto::MasterKeySealer> sealer_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<pki::PlatformPki> pki_;
  std::unique_ptr<domain::NonceStore> nonces_;
  std::unique_ptr<domain::ApiAppCache> app_cache_;
  std::unique_ptr<domain::LineageCache> lineages_;
  std::unique_ptr<domain::Services> services_;
  std::unique_ptr<domain::LoginCounters> login_counters_;
  std::unique_ptr<MessagingProviders> providers_;
};

}  // namespace pactum::api

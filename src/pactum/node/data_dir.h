#pragma once

// Making and opening a data directory: everything one Pactum node (or, with PostgreSQL, one of
// many) keeps on disk, laid out as data_dir_layout.h names it. `pactum init DIR` makes one
// (init_data_dir); pactumd, `pactum keys` and `pactum ca|tsa --data` open one (DataDir::open,
// the one opener).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "pactum/base/clock.h"
#include "pactum/base/error.h"
#include "pactum/base/metrics.h"
#include "pactum/crypto/keyring.h"
#include "pactum/crypto/master_key_sealer.h"
#include "pactum/domain/reloading_pii_cipher.h"
#include "pactum/domain/services.h"
#include "pactum/node/composition.h"
#include "pactum/node/data_dir_layout.h"
#include "pactum/node/demo_seed.h"
#include "pactum/node/messaging_providers.h"
#include "pactum/pki/platform_pki.h"
#include "pactum/store/database.h"

namespace pactum::node {

// InitOptions is what `pactum init` takes.
struct InitOptions {
  std::string dir;
  std::string base_url = "http://127.0.0.1:8080";  // where pactumd will be reached (PKI URLs)
  std::string database_url;                        // empty: kDefaultDatabaseUrl inside dir
  bool demo = false;
};

// InitResult says what init made; demo is set with InitOptions::demo.
struct InitResult {
  std::string database_url;
  std::optional<DemoData> demo;
};

// init_data_dir creates a data directory: kConflict if DIR already holds the config file (never
// overwritten); otherwise creates DIR (0700), the master keyring, the database with every
// migration (migrate_node_database), the platform PKI (CA + TSA, keys sealed by the master key)
// and, last, the config file, whose presence marks a complete directory. With demo, seeds the
// demo tenants (seed_demo, through the composition root) and writes the demo file (0600: the
// e-mail logins and passwords, the enterprise ids, the demo app's id and secret; the phone
// login is only printed). Fails with kIo, kCrypto, kInvalidArgument (a demo use case refused)
// or the database's errors.
Result<InitResult> init_data_dir(const InitOptions& options);

// migrate_node_database applies every migration component a node runs on (store's, the
// domain's, messaging's and intent's; a component added by another layer is applied here too). Fails with the database's
// errors.
Status migrate_node_database(store::Database& database);

// OpenOptions say what DataDir::open opens besides the config file and the keyring, and what
// replaces, for this process, what the config file records.
struct OpenOptions {
  std::optional<std::string> database_url{};  // a relative sqlite: path is relative to DIR
  std::optional<std::string> base_url{};      // also the PKI's CDP/AIA/OCSP addresses
  bool database = true;                       // open the database and apply new migrations
  bool pki = true;                            // open the platform PKI (keys unsealed once)
  bool services = true;                       // build domain::Services (implies database)
  Clock clock = system_clock_now;             // the PKI's and the services' clock
  metrics::Registry* registry = nullptr;      // counts log-ins when set; must outlive the DataDir
};

// DataDir is an opened data directory: the keyring, the database pool, the platform PKI and the
// domain's Services built by the composition root, each as OpenOptions asked. Thread-safe to use
// from the server's workers. The personal-data cipher follows changes of the master keyring made
// by `pactum keys` while it is open (domain::ReloadingPiiCipher); the PKI keys are unsealed once.
class DataDir {
 public:
  // open reads the config file and the keyring, then opens what options ask for, with the
  // overrides applied. kNotFound if DIR is not a data directory, kMalformed if its config file is
  // not valid, kInvalidArgument for an unusable base URL, and the errors of each part otherwise.
  static Result<std::unique_ptr<DataDir>> open(const std::filesystem::path& dir,
                                               const OpenOptions& options = {});

  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;
  ~DataDir();

  [[nodiscard]] const DataDirLayout& layout() const { return layout_; }
  // keyring is the master keyring as read at open (`pactum keys` changes it through this).
  [[nodiscard]] crypto::Keyring& keyring() const { return *keyring_; }
  [[nodiscard]] const crypto::KeySealer& key_sealer() const { return *sealer_; }
  // base_url is the recorded or overriding public base URL.
  [[nodiscard]] const std::string& base_url() const { return base_url_; }
  // database_url is the URL the database is (or would be) opened with, a SQLite path absolute.
  [[nodiscard]] const std::string& database_url() const { return database_url_; }

  // database, pki and services are there only when OpenOptions asked for them.
  [[nodiscard]] bool has_database() const { return database_ != nullptr; }
  [[nodiscard]] store::Database& database() const { return *database_; }
  [[nodiscard]] bool has_pki() const { return pki_ != nullptr; }
  [[nodiscard]] pki::PlatformPki& pki() const { return *pki_; }
  [[nodiscard]] const domain::Services& services() const { return composition_->services(); }

 private:
  explicit DataDir(const std::filesystem::path& dir) : layout_(dir) {}

  DataDirLayout layout_;
  std::string base_url_;
  std::string database_url_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<crypto::MasterKeySealer> sealer_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<pki::PlatformPki> pki_;
  std::unique_ptr<domain::ReloadingPiiCipher> pii_;
  std::unique_ptr<MessagingProviders> providers_;
  std::unique_ptr<Composition> composition_;
};

// open_bare_pki opens DIR/pki of a directory that is not a data directory (a `pactum ca init`
// PKI with plaintext keys, served by pactumd without the REST API). nullptr when DIR holds no
// PKI; fails like pki::open_platform_pki otherwise.
Result<std::unique_ptr<pki::PlatformPki>> open_bare_pki(const std::filesystem::path& dir,
                                                        Clock clock);

}  // namespace pactum::node

#include "pactum/node/data_dir.h"

#include <sys/stat.h>

#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/crypto_pii_cipher.h"
#include "pactum/domain/intent/schema.h"
#include "pactum/domain/messaging/outbox.h"
#include "pactum/domain/schema.h"
#include "pactum/store/blob_store.h"

namespace pactum::node {
namespace {

namespace fs = std::filesystem;

constexpr int kFormat = 1;

Status write_demo_file(const DataDirLayout& layout, const DemoData& demo) {
  nlohmann::json logins = nlohmann::json::array();
  for (const DemoLogin& login : demo.logins) {
    // A phone number is personal data: it is printed once, never written in clear.
    if (login.login.find('@') == std::string::npos) {
      continue;
    }
    logins.push_back({{"login", login.login}, {"password", login.password}, {"role", login.role}});
  }
  const nlohmann::json file = {{"logins", logins},
                               {"group_id", demo.group_id},
                               {"subsidiary_id", demo.subsidiary_id},
                               {"app_id", demo.app_id},
                               {"app_secret", demo.app_secret}};
  return write_file_atomically(layout.demo_file().string(), as_bytes(file.dump(2) + "\n"), 0600);
}

// seed_demo_data seeds the demo tenants through the composition root, with the keyring's
// cipher (pactumd is not running yet: nothing else can change the keyring).
Result<DemoData> seed_demo_data(store::Database& database, const crypto::Keyring& keyring) {
  auto cipher = crypto::PiiCipher::create(keyring);
  if (!cipher) {
    return std::unexpected(cipher.error());
  }
  const domain::CryptoPiiCipher pii(*cipher);
  auto composition = Composition::build({.database = database, .pii = pii});
  if (!composition) {
    return std::unexpected(composition.error());
  }
  auto demo = seed_demo((*composition)->services());
  if (!demo) {
    return fail(ErrorCode::kInvalidArgument, demo.error().message);
  }
  return std::move(*demo);
}

Result<nlohmann::json> read_data_config(const DataDirLayout& layout) {
  const std::string dir = layout.root().string();
  auto text = read_file(layout.config_file().string());
  if (!text) {
    return fail(ErrorCode::kNotFound,
                dir + " is not a Pactum data directory (run `pactum init " + dir + "` first)");
  }
  auto config = nlohmann::json::parse(as_chars(*text), nullptr, false);
  if (!config.is_object() || config.value("format", 0) != kFormat || !config.contains("database") ||
      !config["database"].is_string()) {
    return fail(ErrorCode::kMalformed, layout.config_file().string() + " is not a valid config");
  }
  return config;
}

Result<std::unique_ptr<store::Database>> open_migrated(const std::string& url) {
  auto database = store::open_database({.url = url});
  if (!database) {
    return std::unexpected(database.error());
  }
  if (auto migrated = migrate_node_database(**database); !migrated) {
    return std::unexpected(migrated.error());
  }
  return database;
}

}  // namespace

Status migrate_node_database(store::Database& database) {
  if (auto applied = store::apply_store_migrations(database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::migrate_domain(database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::messaging::migrate_messaging(database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::intent::migrate_intent(database); !applied) {
    return std::unexpected(applied.error());
  }
  return {};
}

Result<InitResult> init_data_dir(const InitOptions& options) {
  const DataDirLayout layout(options.dir);
  const std::string& dir = options.dir;
  if (layout.is_data_dir()) {
    return fail(ErrorCode::kConflict, dir + " is already a Pactum data directory");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0) {
    return fail(ErrorCode::kIo, "cannot create " + dir);
  }
  auto keyring = crypto::Keyring::load_or_create(layout.master_key().string());
  if (!keyring) {
    return std::unexpected(keyring.error());
  }
  const std::string configured =
      options.database_url.empty() ? std::string(kDefaultDatabaseUrl) : options.database_url;
  auto database = open_migrated(layout.resolve_database_url(configured));
  if (!database) {
    return std::unexpected(database.error());
  }

  const crypto::MasterKeySealer sealer(*keyring);
  if (!layout.has_pki()) {
    pki::PlatformPkiSettings settings;
    settings.base_url = options.base_url;
    auto created =
        pki::create_platform_pki(layout.pki_dir().string(), settings, system_clock_now, sealer);
    if (!created) {
      return std::unexpected(created.error());
    }
  }

  InitResult result;
  result.database_url = configured;
  if (options.demo) {
    auto demo = seed_demo_data(**database, *keyring);
    if (!demo) {
      return std::unexpected(demo.error());
    }
    if (auto written = write_demo_file(layout, *demo); !written) {
      return std::unexpected(written.error());
    }
    // The demo sends nothing off the machine: SMS and e-mail go to the sandbox outbox.
    if (auto written = write_sandbox_providers(dir); !written) {
      return std::unexpected(written.error());
    }
    result.demo = std::move(*demo);
  }

  const nlohmann::json config = {
      {"format", kFormat}, {"database", configured}, {"base_url", options.base_url}};
  if (auto written = write_file_atomically(layout.config_file().string(),
                                           as_bytes(config.dump(2) + "\n"), 0600);
      !written) {
    return std::unexpected(written.error());
  }
  return result;
}

DataDir::~DataDir() = default;

Result<std::unique_ptr<DataDir>> DataDir::open(const fs::path& dir, const OpenOptions& options) {
  std::unique_ptr<DataDir> data(new DataDir(dir));
  const DataDirLayout& layout = data->layout_;
  auto read = read_data_config(layout);
  if (!read) {
    return std::unexpected(read.error());
  }
  const nlohmann::json& config = *read;
  data->base_url_ = options.base_url ? *options.base_url : config.value("base_url", "");
  data->database_url_ = layout.resolve_database_url(
      options.database_url ? *options.database_url : config["database"].get<std::string>());
  auto keyring = crypto::Keyring::load(layout.master_key().string());
  if (!keyring) {
    return std::unexpected(keyring.error());
  }
  data->keyring_ = std::make_unique<crypto::Keyring>(std::move(*keyring));
  data->sealer_ = std::make_unique<crypto::MasterKeySealer>(*data->keyring_);
  if (options.database || options.services) {
    auto database = open_migrated(data->database_url_);
    if (!database) {
      return std::unexpected(database.error());
    }
    data->database_ = std::move(*database);
  }
  if (options.pki) {
    auto platform = pki::open_platform_pki(layout.pki_dir().string(), options.clock, *data->sealer_,
                                           options.base_url);
    if (!platform) {
      return std::unexpected(platform.error());
    }
    data->pki_ = std::move(*platform);
  }
  if (options.services) {
    auto pii = domain::ReloadingPiiCipher::create(layout.master_key().string());
    if (!pii) {
      return std::unexpected(pii.error());
    }
    data->pii_ = std::move(*pii);
    auto providers =
        MessagingProviders::open(dir.string(), *data->database_, *data->pii_, options.clock);
    if (!providers) {
      return std::unexpected(providers.error());
    }
    data->providers_ = std::move(*providers);
    auto composition = Composition::build({.database = *data->database_,
                                           .pii = *data->pii_,
                                           .clock = options.clock,
                                           .registry = options.registry,
                                           .messaging = &data->providers_->messaging()});
    if (!composition) {
      return std::unexpected(composition.error());
    }
    data->composition_ = std::move(*composition);
  }
  return data;
}

Result<std::unique_ptr<pki::PlatformPki>> open_bare_pki(const fs::path& dir, Clock clock) {
  const DataDirLayout layout(dir);
  if (!layout.has_pki()) {
    return std::unique_ptr<pki::PlatformPki>();
  }
  return pki::open_platform_pki(layout.pki_dir().string(), std::move(clock));
}

}  // namespace pactum::node

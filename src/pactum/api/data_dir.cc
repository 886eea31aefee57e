#include "pactum/api/data_dir.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/base/atomic_file.h"
#include "pactum/domain/intent/schema.h"
#include "pactum/domain/messaging/outbox.h"
#include "pactum/domain/schema.h"
#include "pactum/store/blob_store.h"

namespace pactum::api {
namespace {

namespace fs = std::filesystem;

constexpr int kFormat = 1;
constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kDefaultDatabase = "sqlite:pactum.db";

std::string join(const std::string& dir, std::string_view name) {
  return (fs::path(dir) / name).string();
}

// resolve_database_url makes a relative SQLite path relative to the data directory, so the
// directory can be moved as a whole.
std::string resolve_database_url(const std::string& dir, const std::string& url) {
  if (url.starts_with(kSqlitePrefix)) {
    const fs::path path(url.substr(kSqlitePrefix.size()));
    if (path.is_relative()) {
      return std::string(kSqlitePrefix) + (fs::path(dir) / path).string();
    }
  }
  return url;
}

Status fail_from(const domain::DomainError& error) {
  return fail(ErrorCode::kInvalidArgument, error.message);
}

Status write_demo_file(const std::string& dir, const DemoData& demo) {
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
  return write_file_atomically(join(dir, "demo.json"), as_bytes(file.dump(2) + "\n"), 0600);
}

}  // namespace

Result<std::unique_ptr<store::Database>> open_data_dir_database(const std::string& url) {
  auto database = store::open_database({.url = url});
  if (!database) {
    return std::unexpected(database.error());
  }
  if (auto applied = store::apply_store_migrations(**database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::migrate_domain(**database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::messaging::migrate_messaging(**database); !applied) {
    return std::unexpected(applied.error());
  }
  if (auto applied = domain::intent::migrate_intent(**database); !applied) {
    return std::unexpected(applied.error());
  }
  return database;
}

Result<InitResult> init_data_dir(const InitOptions& options) {
  const std::string& dir = options.dir;
  std::error_code ec;
  if (fs::exists(join(dir, kDataConfigFile), ec)) {
    return fail(ErrorCode::kConflict, dir + " is already a Pactum data directory");
  }
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0) {
    return fail(ErrorCode::kIo, "cannot create " + dir);
  }
  auto keyring = crypto::Keyring::load_or_create(join(dir, kMasterKeyFile));
  if (!keyring) {
    return std::unexpected(keyring.error());
  }
  const std::string configured =
      options.database_url.empty() ? std::string(kDefaultDatabase) : options.database_url;
  auto database = open_data_dir_database(resolve_database_url(dir, configured));
  if (!database) {
    return std::unexpected(database.error());
  }

  const crypto::MasterKeySealer sealer(*keyring);
  if (!fs::exists(join(join(dir, kPkiDir), "pki.json"), ec)) {
    pki::PlatformPkiSettings settings;
    settings.base_url = options.base_url;
    auto created = pki::create_platform_pki(join(dir, kPkiDir), settings,
                                            domain::system_clock_now, sealer);
    if (!created) {
      return std::unexpected(created.error());
    }
  }

  InitResult result;
  result.database_url = configured;
  if (options.demo) {
    auto cipher = crypto::PiiCipher::create(*keyring);
    if (!cipher) {
      return std::unexpected(cipher.error());
    }
    const domain::CryptoPiiCipher pii(*cipher);
    const auto nonces =
        domain::make_nonce_store(**database, domain::unix_seconds(domain::system_clock_now()));
    domain::ApiAppCache app_cache;
    domain::LineageCache lineages;
    const domain::Services services{.database = **database,
                                    .pii = pii,
                                    .nonces = *nonces,
                                    .app_cache = app_cache,
                                    .lineages = lineages,
                                    .hasher = domain::PasswordHasher(),
                                    .throttle = {},
                                    .clock = domain::system_clock_now,
                                    .session_lifetime = std::chrono::hours(12)};
    auto demo = seed_demo(services);
    if (!demo) {
      return std::unexpected(fail_from(demo.error()).error());
    }
    if (auto written = write_demo_file(dir, *demo); !written) {
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
  if (auto written =
          write_file_atomically(join(dir, kDataConfigFile), as_bytes(config.dump(2) + "\n"), 0600);
      !written) {
    return std::unexpected(written.error());
  }
  return result;
}

DataDir::~DataDir() = default;

void DataDir::count_into(metrics::Registry& registry) {
  login_counters_ = std::make_unique<domain::LoginCounters>(registry);
  services_->login_counters = login_counters_.get();
}

namespace {

Result<nlohmann::json> read_data_config(const std::string& dir) {
  auto text = read_file(join(dir, kDataConfigFile));
  if (!text) {
    return fail(ErrorCode::kNotFound,
                dir + " is not a Pactum data directory (run `pactum init " + dir + "` first)");
  }
  auto config = nlohmann::json::parse(as_chars(*text), nullptr, false);
  if (!config.is_object() || config.value("format", 0) != kFormat ||
      !config.contains("database") || !config["database"].is_string()) {
    return fail(ErrorCode::kMalformed, join(dir, kDataConfigFile) + " is not a valid config");
  }
  return config;
}

}  // namespace

Result<std::string> data_dir_database_url(const std::string& dir) {
  auto config = read_data_config(dir);
  if (!config) {
    return std::unexpected(config.error());
  }
  return resolve_database_url(dir, (*config)["database"].get<std::string>());
}

Result<std::unique_ptr<DataDir>> DataDir::open(const std::string& dir,
                                               const DataDirOverrides& overrides) {
  auto read = read_data_config(dir);
  if (!read) {
    return std::unexpected(read.error());
  }
  const nlohmann::json& config = *read;
  std::unique_ptr<DataDir> data(new DataDir());
  data->base_url_ = overrides.base_url ? *overrides.base_url : config.value("base_url", "");
  data->database_url_ = resolve_database_url(
      dir, overrides.database_url ? *overrides.database_url : config["database"].get<std::string>());
  auto keyring = crypto::Keyring::load(join(dir, kMasterKeyFile));
  if (!keyring) {
    return std::unexpected(keyring.error());
  }
  data->keyring_ = std::make_unique<crypto::Keyring>(std::move(*keyring));
  auto pii = domain::ReloadingPiiCipher::create(join(dir, kMasterKeyFile));
  if (!pii) {
    return std::unexpected(pii.error());
  }
  data->pii_ = std::move(*pii);
  data->sealer_ = std::make_unique<crypto::MasterKeySealer>(*data->keyring_);
  auto database = open_data_dir_database(data->database_url_);
  if (!database) {
    return std::unexpected(database.error());
  }
  data->database_ = std::move(*database);
  auto platform = pki::open_platform_pki(join(dir, kPkiDir), domain::system_clock_now,
                                         *data->sealer_, overrides.base_url);
  if (!platform) {
    return std::unexpected(platform.error());
  }
  data->pki_ = std::move(*platform);
  data->nonces_ = domain::make_nonce_store(*data->database_,
                                           domain::unix_seconds(domain::system_clock_now()));
  data->app_cache_ = std::make_unique<domain::ApiAppCache>();
  data->lineages_ = std::make_unique<domain::LineageCache>();
  data->services_ = std::make_unique<domain::Services>(
      domain::Services{.database = *data->database_,
                       .pii = *data->pii_,
                       .nonces = *data->nonces_,
                       .app_cache = *data->app_cache_,
                       .lineages = *data->lineages_,
                       .hasher = domain::PasswordHasher(),
                       .throttle = {},
                       .clock = domain::system_clock_now,
                       .session_lifetime = std::chrono::hours(12)});
  auto providers =
      MessagingProviders::open(dir, *data->database_, *data->pii_, domain::system_clock_now);
  if (!providers) {
    return std::unexpected(providers.error());
  }
  data->providers_ = std::move(*providers);
  data->services_->messaging = &data->providers_->messaging();
  return data;
}

}  // namespace pactum::api

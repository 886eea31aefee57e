#include "pactum/node/data_dir_layout.h"

#include <system_error>

#include "pactum/pki/platform_pki.h"

namespace pactum::node {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConfigFile = "pactum.json";
constexpr std::string_view kMasterKeyFile = "master.key";
constexpr std::string_view kPkiDir = "pki";
constexpr std::string_view kBlobsDir = "blobs";
constexpr std::string_view kDemoFile = "demo.json";
constexpr std::string_view kKeysLockFile = "keys.lock";
constexpr std::string_view kServerLockFile = "pactumd.lock";
constexpr std::string_view kSqlitePrefix = "sqlite:";

}  // namespace

const std::string_view kDefaultDatabaseUrl = "sqlite:pactum.db";

fs::path DataDirLayout::config_file() const { return root_ / kConfigFile; }
fs::path DataDirLayout::master_key() const { return root_ / kMasterKeyFile; }
fs::path DataDirLayout::pki_dir() const { return root_ / kPkiDir; }
fs::path DataDirLayout::blobs_dir() const { return root_ / kBlobsDir; }
fs::path DataDirLayout::demo_file() const { return root_ / kDemoFile; }
fs::path DataDirLayout::keys_lock() const { return root_ / kKeysLockFile; }
fs::path DataDirLayout::server_lock() const { return root_ / kServerLockFile; }

bool DataDirLayout::is_data_dir() const {
  std::error_code ec;
  return fs::exists(config_file(), ec);
}

bool DataDirLayout::has_pki() const {
  std::error_code ec;
  return fs::exists(pki_dir() / pki::PlatformPki::kSettingsFile, ec);
}

std::string DataDirLayout::resolve_database_url(const std::string& url) const {
  if (url.starts_with(kSqlitePrefix)) {
    const fs::path path(url.substr(kSqlitePrefix.size()));
    if (path.is_relative()) {
      return std::string(kSqlitePrefix) + (root_ / path).string();
    }
  }
  return url;
}

}  // namespace pactum::node

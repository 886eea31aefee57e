// `pactum init --demo` end to end: the directory opens, the demo logins work through the REST
// API, and neither the demo ID number nor the demo phone number nor a demo name appears in clear
// anywhere in the data directory (config, keys, PKI, SQLite database and its WAL).

#include "pactum/node/data_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pactum/domain/accounts.h"
#include "pactum/domain/tenancy.h"
#include "store/store_test_support.h"
#include "test_files.h"

namespace pactum::testing {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(DataDir, InitDemoOpensAndLogsIn) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  auto made = node::init_data_dir(
      {.dir = dir, .base_url = "http://127.0.0.1:8080", .database_url = "", .demo = true});
  ASSERT_TRUE(made) << made.error().describe();
  ASSERT_TRUE(made->demo);
  EXPECT_EQ(made->demo->logins.size(), 5U);
  EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);

  auto again = node::init_data_dir(
      {.dir = dir, .base_url = "http://127.0.0.1:8080", .database_url = "", .demo = false});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  auto data = node::DataDir::open(dir);
  ASSERT_TRUE(data) << data.error().describe();
  const domain::Origin origin{"127.0.0.1"};
  auto admin =
      domain::log_in((*data)->services(), std::string(node::kDemoPhone), "demo-admin-pass", origin);
  ASSERT_TRUE(admin) << admin.error().message;
  domain::Actor admin_actor;
  admin_actor.id = admin->user.id;
  auto members = domain::list_members((*data)->services(), admin_actor, made->demo->subsidiary_id);
  ASSERT_TRUE(members) << "the group's admin reaches the subsidiary";
  EXPECT_EQ(members->size(), 1U);
  auto sub_owner =
      domain::log_in((*data)->services(), "demo.sub@pactum.test", "demo-sub-pass", origin);
  ASSERT_TRUE(sub_owner);
  domain::Actor sub;
  sub.id = sub_owner->user.id;
  EXPECT_FALSE(domain::get_enterprise((*data)->services(), sub, made->demo->group_id))
      << "the subsidiary never reaches its parent";
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "pki" / "pki.json"));
}

TEST(DataDir, NoPersonalDataInClearAnywhere) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(node::init_data_dir(
      {.dir = dir, .base_url = "http://127.0.0.1:8080", .database_url = "", .demo = true}));
  {
    // Open it once more, as pactumd would, and log in so sessions and audit rows exist too.
    auto data = node::DataDir::open(dir);
    ASSERT_TRUE(data);
    ASSERT_TRUE(
        domain::log_in((*data)->services(), "138 0013 8000", "demo-admin-pass", {"127.0.0.1"}));
  }
  const std::vector<std::string> secrets = {std::string(node::kDemoIdNumber), "13800138000", "李娜",
                                            "Demo Admin", "demo-admin-pass"};
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++files;
    const std::string bytes = slurp(entry.path());
    for (const std::string& secret : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in clear in " << entry.path();
    }
  }
  EXPECT_GE(files, 5);
}

TEST(DataDir, OverridesReplaceTheRecordedDatabaseAndBaseUrl) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(node::init_data_dir(
      {.dir = dir, .base_url = "http://init.example", .database_url = "", .demo = true}));
  auto postgres = TestDatabase::create(store::Engine::kPostgres);
  ASSERT_TRUE(postgres);
  auto data = node::DataDir::open(
      dir, {.database_url = postgres->url(), .base_url = "https://override.example/pactum"});
  ASSERT_TRUE(data) << data.error().describe();
  EXPECT_EQ((*data)->database_url(), postgres->url());
  EXPECT_EQ((*data)->base_url(), "https://override.example/pactum");
  EXPECT_EQ((*data)->pki().urls().base_url, "https://override.example/pactum");
  EXPECT_EQ((*data)->database().engine(), store::Engine::kPostgres);
  // The PostgreSQL database was empty and is now migrated; the demo users live in SQLite only.
  auto absent = domain::log_in((*data)->services(), "demo.owner@pactum.test", "demo-owner-pass",
                               {"127.0.0.1"});
  EXPECT_FALSE(absent);
  auto made = domain::sign_up((*data)->services(),
                              {"pg@example.com", "On PostgreSQL", "password-123", std::nullopt},
                              {"127.0.0.1"});
  ASSERT_TRUE(made) << made.error().message;
  data->reset();

  // Without overrides the recorded SQLite database and base URL are back.
  auto recorded = node::DataDir::open(dir);
  ASSERT_TRUE(recorded);
  EXPECT_EQ((*recorded)->database_url(), "sqlite:" + dir + "/pactum.db");
  EXPECT_EQ((*recorded)->pki().urls().base_url, "http://init.example");
  EXPECT_TRUE(domain::log_in((*recorded)->services(), "demo.owner@pactum.test", "demo-owner-pass",
                             {"127.0.0.1"}));

  auto bad = node::DataDir::open(dir, {.database_url = std::nullopt, .base_url = "ftp://x"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// The layout is what `pactum init` writes and what README.md documents.
TEST(DataDir, TheLayoutNamesEveryFile) {
  const node::DataDirLayout layout("/srv/pactum");
  EXPECT_EQ(layout.config_file(), "/srv/pactum/pactum.json");
  EXPECT_EQ(layout.master_key(), "/srv/pactum/master.key");
  EXPECT_EQ(layout.pki_dir(), "/srv/pactum/pki");
  EXPECT_EQ(layout.blobs_dir(), "/srv/pactum/blobs");
  EXPECT_EQ(layout.demo_file(), "/srv/pactum/demo.json");
  EXPECT_EQ(layout.keys_lock(), "/srv/pactum/keys.lock");
  EXPECT_EQ(layout.server_lock(), "/srv/pactum/pactumd.lock");
  EXPECT_EQ(node::kDefaultDatabaseUrl, "sqlite:pactum.db");
  EXPECT_EQ(layout.resolve_database_url("sqlite:pactum.db"), "sqlite:/srv/pactum/pactum.db");
  EXPECT_EQ(layout.resolve_database_url("sqlite:/var/db/x.db"), "sqlite:/var/db/x.db");
  EXPECT_EQ(layout.resolve_database_url("postgresql://u@h/db"), "postgresql://u@h/db");

  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(node::init_data_dir({.dir = dir, .database_url = "", .demo = true}));
  const node::DataDirLayout made(dir);
  EXPECT_TRUE(made.is_data_dir());
  EXPECT_TRUE(made.has_pki());
  for (const auto& file : {made.config_file(), made.master_key(), made.demo_file()}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(file)) << file;
  }
  EXPECT_TRUE(std::filesystem::is_regular_file(dir + "/pactum.db"));
}

// The one opener opens only the parts asked for; a directory `pactum init` did not make is
// kNotFound, and one without a PKI has no bare PKI either.
TEST(DataDir, OpensOnlyThePartsAskedFor) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(node::init_data_dir({.dir = dir, .database_url = "", .demo = false}));
  auto keys_only = node::DataDir::open(dir, {.database = false, .pki = false, .services = false});
  ASSERT_TRUE(keys_only) << keys_only.error().describe();
  EXPECT_FALSE((*keys_only)->has_database());
  EXPECT_FALSE((*keys_only)->has_pki());
  EXPECT_FALSE((*keys_only)->keyring().current_id().empty());
  EXPECT_EQ((*keys_only)->database_url(), "sqlite:" + dir + "/pactum.db");

  auto pki_only = node::DataDir::open(dir, {.database = false, .services = false});
  ASSERT_TRUE(pki_only) << pki_only.error().describe();
  EXPECT_TRUE((*pki_only)->has_pki());
  EXPECT_FALSE((*pki_only)->has_database());
  EXPECT_EQ((*pki_only)->pki().urls().base_url, "http://127.0.0.1:8080");

  const std::string plain = fresh_temp_dir("pactum_data_dir");
  auto missing = node::DataDir::open(plain);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("pactum init"), std::string::npos);
  auto bare = node::open_bare_pki(plain, system_clock_now);
  ASSERT_TRUE(bare) << bare.error().describe();
  EXPECT_EQ(*bare, nullptr);
}

}  // namespace
}  // namespace pactum::testing

// `pactum init --demo` end to end: the directory opens, the demo logins work through the REST
// API, and neither the demo ID number nor the demo phone number nor a demo name appears in clear
// anywhere in the data directory (config, keys, PKI, SQLite database and its WAL).

#include "pactum/api/data_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pactum/api/api_routes.h"
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
  auto made = api::init_data_dir({.dir = dir, .base_url = "http://127.0.0.1:8080",
                                  .database_url = "", .demo = true});
  ASSERT_TRUE(made) << made.error().describe();
  ASSERT_TRUE(made->demo);
  EXPECT_EQ(made->demo->logins.size(), 5U);
  EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);

  auto again = api::init_data_dir({.dir = dir, .base_url = "http://127.0.0.1:8080",
                                   .database_url = "", .demo = false});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);

  auto data = api::DataDir::open(dir);
  ASSERT_TRUE(data) << data.error().describe();
  const domain::Origin origin{"127.0.0.1"};
  auto admin = domain::log_in((*data)->services(), std::string(api::kDemoPhone),
                              "demo-admin-pass", origin);
  ASSERT_TRUE(admin) << admin.error().message;
  domain::Actor admin_actor;
  admin_actor.id = admin->user.id;
  auto members =
      domain::list_members((*data)->services(), admin_actor, made->demo->subsidiary_id);
  ASSERT_TRUE(members) << "the group's admin reaches the subsidiary";
  EXPECT_EQ(members->size(), 1U);
  auto sub_owner = domain::log_in((*data)->services(), "demo.sub@pactum.test", "demo-sub-pass",
                                  origin);
  ASSERT_TRUE(sub_owner);
  domain::Actor sub;
  sub.id = sub_owner->user.id;
  EXPECT_FALSE(domain::get_enterprise((*data)->services(), sub, made->demo->group_id))
      << "the subsidiary never reaches its parent";
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "pki" / "pki.json"));
}

TEST(DataDir, NoPersonalDataInClearAnywhere) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(api::init_data_dir({.dir = dir, .base_url = "http://127.0.0.1:8080",
                                  .database_url = "", .demo = true}));
  {
    // Open it once more, as pactumd would, and log in so sessions and audit rows exist too.
    auto data = api::DataDir::open(dir);
    ASSERT_TRUE(data);
    ASSERT_TRUE(domain::log_in((*data)->services(), "138 0013 8000", "demo-admin-pass",
                               {"127.0.0.1"}));
  }
  const std::vector<std::string> secrets = {
      std::string(api::kDemoIdNumber), "13800138000", "李娜", "Demo Admin", "demo-admin-pass"};
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++files;
    const std::string bytes = slurp(entry.path());
    for (const std::string& secret : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos)
          << secret << " in clear in " << entry.path();
    }
  }
  EXPECT_GE(files, 5);
}

TEST(DataDir, OverridesReplaceTheRecordedDatabaseAndBaseUrl) {
  const std::string dir = fresh_temp_dir("pactum_data_dir") + "/data";
  ASSERT_TRUE(api::init_data_dir({.dir = dir, .base_url = "http://init.example",
                                  .database_url = "", .demo = true}));
  auto postgres = TestDatabase::create(store::Engine::kPostgres);
  ASSERT_TRUE(postgres);
  auto data = api::DataDir::open(
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
  auto recorded = api::DataDir::open(dir);
  ASSERT_TRUE(recorded);
  EXPECT_EQ((*recorded)->database_url(), "sqlite:" + dir + "/pactum.db");
  EXPECT_EQ((*recorded)->pki().urls().base_url, "http://init.example");
  EXPECT_TRUE(domain::log_in((*recorded)->services(), "demo.owner@pactum.test", "demo-owner-pass",
                             {"127.0.0.1"}));

  auto bad = api::DataDir::open(dir, {.database_url = std::nullopt, .base_url = "ftp://x"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace pactum::testing

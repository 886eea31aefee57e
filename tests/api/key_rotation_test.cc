// `pactum keys` on a data directory made by `pactum init --demo`, on SQLite and PostgreSQL:
// rotate, a re-seal stopped midway (demo logins still work, retiring is refused), resumed,
// retired; then the directory reopens (CA and TSA keys open under the new key), the demo logins
// work, and a document stored before the rotation still reads.

#include "pactum/api/key_rotation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pactum/api/data_dir.h"
#include "pactum/base/file_lock.h"
#include "pactum/crypto/keyring.h"
#include "pactum/domain/accounts.h"
#include "pactum/store/blob_store.h"
#include "store/store_test_support.h"
#include "test_files.h"

namespace pactum::testing {
namespace {

class DataDirKeyRotationTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    database_ = TestDatabase::create(GetParam());
    ASSERT_TRUE(database_);
    dir_ = fresh_temp_dir("pactum_api") + "/data";
    auto made = api::init_data_dir(
        {.dir = dir_,
         .base_url = "http://127.0.0.1:8080",
         .database_url = GetParam() == store::Engine::kSqlite ? "" : database_->url(),
         .demo = true});
    ASSERT_TRUE(made) << made.error().describe();
  }

  // expect_demo_logins opens the directory as pactumd does and logs the demo users in.
  void expect_demo_logins(const char* when) {
    auto data = api::DataDir::open(dir_);
    ASSERT_TRUE(data) << when << ": " << data.error().describe();
    const domain::Origin origin{"127.0.0.1"};
    auto admin = domain::log_in((*data)->services(), std::string(api::kDemoPhone),
                                "demo-admin-pass", origin);
    EXPECT_TRUE(admin) << when << ": " << (admin ? "" : admin.error().message);
    auto owner = domain::log_in((*data)->services(), "demo.owner@pactum.test", "demo-owner-pass",
                                origin);
    EXPECT_TRUE(owner) << when << ": " << (owner ? "" : owner.error().message);
  }

  api::KeyUsage usage_of(const std::string& key_id) {
    auto usage = api::master_key_usage(dir_);
    EXPECT_TRUE(usage) << usage.error().describe();
    for (const api::KeyUsage& key : usage.value_or(std::vector<api::KeyUsage>{})) {
      if (key.key_id == key_id) {
        return key;
      }
    }
    ADD_FAILURE() << "no key " << key_id;
    return {};
  }

  std::unique_ptr<TestDatabase> database_;
  std::string dir_;
};

TEST_P(DataDirKeyRotationTest, RotateResealStopResumeRetire) {
  const std::string key_file = dir_ + "/master.key";
  const std::string old_key = crypto::Keyring::load(key_file).value().current_id();
  std::string blob_id;
  {
    auto url = api::data_dir_database_url(dir_);
    ASSERT_TRUE(url);
    auto database = api::open_data_dir_database(*url);
    ASSERT_TRUE(database);
    auto keyring = crypto::Keyring::load(key_file);
    ASSERT_TRUE(keyring);
    store::BlobStore blobs(**database, *keyring, store::filesystem_ciphertexts(dir_ + "/blobs"));
    auto put = blobs.put_bytes(as_bytes(std::string_view("contract text before rotation")));
    ASSERT_TRUE(put);
    blob_id = *put;
  }
  const api::KeyUsage before = usage_of(old_key);
  EXPECT_TRUE(before.current);
  EXPECT_GE(before.personal_rows, 5U) << "the demo users and app";
  EXPECT_EQ(before.blob_keys, 1U);
  EXPECT_EQ(before.pki_keys, 3U) << "root, issuing CA and TSA keys";

  auto new_key = api::rotate_master_key(dir_);
  ASSERT_TRUE(new_key) << new_key.error().describe();
  expect_demo_logins("rotated");

  auto stopped = api::reseal_data_dir(dir_, 1, [](const domain::ResealProgress& p) -> Status {
    return p.batches == 2 ? fail(ErrorCode::kUnavailable, "killed") : Status{};
  });
  ASSERT_FALSE(stopped);
  expect_demo_logins("stopped midway");
  const api::KeyUsage midway = usage_of(old_key);
  EXPECT_GT(midway.personal_rows, 0U);
  EXPECT_LT(midway.personal_rows, before.personal_rows);
  auto refused = api::retire_master_keys(dir_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("pactum keys reseal"), std::string::npos);

  auto resealed = api::reseal_data_dir(dir_, 2);
  ASSERT_TRUE(resealed) << resealed.error().describe();
  EXPECT_EQ(resealed->blob_keys, 1U);
  EXPECT_EQ(resealed->pki_keys, 3U);
  EXPECT_EQ(usage_of(old_key).total(), 0U);
  const api::KeyUsage now = usage_of(*new_key);
  EXPECT_TRUE(now.current);
  EXPECT_EQ(now.personal_rows, before.personal_rows);

  auto retired = api::retire_master_keys(dir_);
  ASSERT_TRUE(retired) << retired.error().describe();
  EXPECT_EQ(*retired, std::vector<std::string>{old_key});
  EXPECT_EQ(crypto::Keyring::load(key_file).value().ids(), std::vector<std::string>{*new_key});
  expect_demo_logins("old key retired");

  auto url = api::data_dir_database_url(dir_);
  ASSERT_TRUE(url);
  auto database = api::open_data_dir_database(*url);
  ASSERT_TRUE(database);
  auto keyring = crypto::Keyring::load(key_file);
  ASSERT_TRUE(keyring);
  const store::BlobStore blobs(**database, *keyring,
                               store::filesystem_ciphertexts(dir_ + "/blobs"));
  auto text = blobs.read_all(blob_id);
  ASSERT_TRUE(text) << text.error().describe();
  EXPECT_EQ(as_chars(*text), "contract text before rotation");
}

TEST_P(DataDirKeyRotationTest, OneKeysCommandAtATime) {
  // Another `pactum keys` holding the directory's lock: every changing step refuses, nothing
  // changes; once it is gone they run.
  auto held = FileLock::acquire(dir_ + "/keys.lock");
  ASSERT_TRUE(held);
  const auto ids_before = crypto::Keyring::load(dir_ + "/master.key").value().ids();
  auto rotated = api::rotate_master_key(dir_);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error().code, ErrorCode::kRefused);
  EXPECT_EQ(api::reseal_data_dir(dir_, 10).error().code, ErrorCode::kRefused);
  EXPECT_EQ(api::retire_master_keys(dir_).error().code, ErrorCode::kRefused);
  EXPECT_EQ(crypto::Keyring::load(dir_ + "/master.key").value().ids(), ids_before);
  {
    const FileLock released = std::move(*held);
  }
  EXPECT_TRUE(api::rotate_master_key(dir_));
  EXPECT_TRUE(api::reseal_data_dir(dir_, 10));
  EXPECT_TRUE(api::retire_master_keys(dir_));
}

INSTANTIATE_TEST_SUITE_P(Engines, DataDirKeyRotationTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

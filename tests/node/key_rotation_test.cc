// `pactum keys` on a data directory made by `pactum init --demo`, on SQLite and PostgreSQL:
// rotate, a re-seal stopped midway (demo logins still work, retiring is refused), resumed,
// retired; then the directory reopens (CA and TSA keys open under the new key), the demo logins
// work, and a document stored before the rotation still reads.

#include "pactum/node/key_rotation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pactum/base/file_lock.h"
#include "pactum/crypto/keyring.h"
#include "pactum/domain/accounts.h"
#include "pactum/node/data_dir.h"
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
    auto made = node::init_data_dir(
        {.dir = dir_,
         .base_url = "http://127.0.0.1:8080",
         .database_url = GetParam() == store::Engine::kSqlite ? "" : database_->url(),
         .demo = true});
    ASSERT_TRUE(made) << made.error().describe();
  }

  // expect_demo_logins opens the directory as pactumd does and logs the demo users in.
  void expect_demo_logins(const char* when) {
    auto data = node::DataDir::open(dir_);
    ASSERT_TRUE(data) << when << ": " << data.error().describe();
    const domain::Origin origin{"127.0.0.1"};
    auto admin = domain::log_in((*data)->services(), std::string(node::kDemoPhone),
                                "demo-admin-pass", origin);
    EXPECT_TRUE(admin) << when << ": " << (admin ? "" : admin.error().message);
    auto owner =
        domain::log_in((*data)->services(), "demo.owner@pactum.test", "demo-owner-pass", origin);
    EXPECT_TRUE(owner) << when << ": " << (owner ? "" : owner.error().message);
  }

  node::KeyUsage usage_of(const std::string& key_id) {
    auto usage = node::master_key_usage(dir_);
    EXPECT_TRUE(usage) << usage.error().describe();
    for (const node::KeyUsage& key : usage.value_or(std::vector<node::KeyUsage>{})) {
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
    auto data = node::DataDir::open(dir_, {.pki = false, .services = false});
    ASSERT_TRUE(data) << data.error().describe();
    store::BlobStore blobs((*data)->database(), (*data)->keyring(),
                           store::filesystem_ciphertexts((*data)->layout().blobs_dir().string()));
    auto put = blobs.put_bytes(as_bytes(std::string_view("contract text before rotation")));
    ASSERT_TRUE(put);
    blob_id = *put;
  }
  const node::KeyUsage before = usage_of(old_key);
  EXPECT_TRUE(before.current);
  EXPECT_GE(before.personal_rows, 5U) << "the demo users and app";
  EXPECT_EQ(before.blob_keys, 1U);
  EXPECT_EQ(before.pki_keys, 3U) << "root, issuing CA and TSA keys";

  auto new_key = node::rotate_master_key(dir_);
  ASSERT_TRUE(new_key) << new_key.error().describe();
  expect_demo_logins("rotated");

  auto stopped = node::reseal_data_dir(dir_, 1, [](const domain::ResealProgress& p) -> Status {
    return p.batches == 2 ? fail(ErrorCode::kUnavailable, "killed") : Status{};
  });
  ASSERT_FALSE(stopped);
  expect_demo_logins("stopped midway");
  const node::KeyUsage midway = usage_of(old_key);
  EXPECT_GT(midway.personal_rows, 0U);
  EXPECT_LT(midway.personal_rows, before.personal_rows);
  auto refused = node::retire_master_keys(dir_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("pactum keys reseal"), std::string::npos);

  auto resealed = node::reseal_data_dir(dir_, 2);
  ASSERT_TRUE(resealed) << resealed.error().describe();
  EXPECT_EQ(resealed->blob_keys, 1U);
  EXPECT_EQ(resealed->pki_keys, 3U);
  EXPECT_EQ(usage_of(old_key).total(), 0U);
  const node::KeyUsage now = usage_of(*new_key);
  EXPECT_TRUE(now.current);
  EXPECT_EQ(now.personal_rows, before.personal_rows);

  auto retired = node::retire_master_keys(dir_);
  ASSERT_TRUE(retired) << retired.error().describe();
  EXPECT_EQ(*retired, std::vector<std::string>{old_key});
  EXPECT_EQ(crypto::Keyring::load(key_file).value().ids(), std::vector<std::string>{*new_key});
  expect_demo_logins("old key retired");

  auto data = node::DataDir::open(dir_, {.pki = false, .services = false});
  ASSERT_TRUE(data) << data.error().describe();
  const store::BlobStore blobs(
      (*data)->database(), (*data)->keyring(),
      store::filesystem_ciphertexts((*data)->layout().blobs_dir().string()));
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
  auto rotated = node::rotate_master_key(dir_);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error().code, ErrorCode::kRefused);
  EXPECT_EQ(node::reseal_data_dir(dir_, 10).error().code, ErrorCode::kRefused);
  EXPECT_EQ(node::retire_master_keys(dir_).error().code, ErrorCode::kRefused);
  EXPECT_EQ(crypto::Keyring::load(dir_ + "/master.key").value().ids(), ids_before);
  { const FileLock released = std::move(*held); }
  EXPECT_TRUE(node::rotate_master_key(dir_));
  EXPECT_TRUE(node::reseal_data_dir(dir_, 10));
  EXPECT_TRUE(node::retire_master_keys(dir_));
}

INSTANTIATE_TEST_SUITE_P(Engines, DataDirKeyRotationTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

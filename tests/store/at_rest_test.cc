// Encryption at rest, end to end: a known ID number and a known contract text go through the
// personal-data cipher and the blob store into a data directory and a database; then every file
// of the data directory (with SQLite: the database, its WAL and shared memory) and, on PostgreSQL,
// a pg_dump of the database are searched for them, as text and as hex (bytea dumps are hex).
// A plaintext canary written beside them proves the search does see the stored data.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/store/blob_store.h"
#include "store_test_support.h"

namespace pactum::store {
namespace {

using testing::TestDatabase;

constexpr std::string_view kIdNumber = "11010519491231002X";
constexpr std::string_view kPhone = "13912345678";
constexpr std::string_view kContractText = "THE PARTIES AGREE THAT THE LEASE OF UNIT 1207 RUNS";
constexpr std::string_view kCanary = "PLAINTEXT-CANARY-7f3a";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string lower_hex(std::string_view text) { return to_hex(as_bytes(text)); }

class AtRestTest : public ::testing::TestWithParam<std::tuple<Engine, bool>> {
 protected:
  void SetUp() override {
    test_ = TestDatabase::create(std::get<0>(GetParam()));
    ASSERT_NE(test_, nullptr);
    ASSERT_TRUE(apply_store_migrations(test_->database()));
  }
  std::unique_ptr<TestDatabase> test_;
};

TEST_P(AtRestTest, NeitherIdNumberNorContractTextIsFound) {
  const bool blobs_in_database = std::get<1>(GetParam());
  Database& db = test_->database();
  auto ring = crypto::Keyring::create(test_->dir() + "/master.key");
  ASSERT_TRUE(ring);
  auto cipher = crypto::PiiCipher::create(*ring);
  ASSERT_TRUE(cipher);

  std::string contract;
  for (int i = 0; i < 200; ++i) {
    contract += std::string(kContractText) + " UNTIL 2030. ";
  }
  BlobStore blobs(db, *ring,
                  blobs_in_database ? database_ciphertexts(db)
                                    : filesystem_ciphertexts(test_->dir() + "/blobs"));
  auto blob_id = blobs.put_bytes(as_bytes(contract));
  ASSERT_TRUE(blob_id) << blob_id.error().message;

  {
    auto lease = db.acquire();
    ASSERT_TRUE(lease);
    const std::string blob = db.engine() == Engine::kPostgres ? "BYTEA" : "BLOB";
    ASSERT_TRUE((*lease)->run_script("CREATE TABLE people (id TEXT PRIMARY KEY, id_number " +
                                     blob + ", phone " + blob + ", phone_index TEXT, note TEXT, "
                                     "note_blob " + blob + ")"));
    auto id_sealed = cipher->encrypt(kIdNumber, "people.id_number");
    auto phone_sealed = cipher->encrypt(kPhone, "people.phone");
    auto phone_index = cipher->blind_index("phone", kPhone);
    ASSERT_TRUE(id_sealed && phone_sealed && phone_index);
    ASSERT_TRUE((*lease)->execute(
        "INSERT INTO people (id, id_number, phone, phone_index, note, note_blob)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {"p1", *id_sealed, *phone_sealed, *phone_index, kCanary, as_bytes(kCanary)}));
    // The values are really there: found by blind index and decrypted.
    auto row = (*lease)->query_one("SELECT id_number FROM people WHERE phone_index = ?",
                                   {*cipher->blind_index("phone", " 139-1234-5678 ")});
    ASSERT_TRUE(row) << row.error().message;
    EXPECT_EQ(*cipher->decrypt(*row->blob(0), "people.id_number"), kIdNumber);
  }
  EXPECT_TRUE(contains(std::string(as_chars(*blobs.read_all(*blob_id))), kContractText));

  // Every file of the data directory, while the database is open (WAL included).
  std::string files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test_->dir())) {
    if (entry.is_regular_file()) {
      files += std::string(as_chars(*read_file(entry.path().string())));
    }
  }
  std::vector<std::string> places{files};
  if (db.engine() == Engine::kPostgres) {
    const std::string dump_path = test_->dir() + "/../dump_" + std::to_string(::getpid()) + ".sql";
    auto dumped = pactum::testing::run_command("\"$(pg_config --bindir)/pg_dump\" --no-owner -d '" +
                                               test_->url() + "' -f " + dump_path);
    ASSERT_EQ(dumped.exit_status, 0) << dumped.output;
    places.push_back(std::string(as_chars(*read_file(dump_path))));
    std::filesystem::remove(dump_path);
  } else {
    EXPECT_TRUE(std::filesystem::exists(test_->dir() + "/pactum.db-wal"));
  }
  for (const std::string& place : places) {
    for (std::string_view secret : {kIdNumber, kPhone, kContractText}) {
      EXPECT_FALSE(contains(place, secret)) << secret;
      EXPECT_FALSE(contains(place, lower_hex(secret))) << secret;
    }
  }
  if (db.engine() == Engine::kPostgres) {
    EXPECT_TRUE(contains(places[1], kCanary));              // text column
    EXPECT_TRUE(contains(places[1], lower_hex(kCanary)));   // bytea column, as hex
  } else {
    EXPECT_TRUE(contains(files, kCanary));
  }
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<Engine, bool>>& info) {
  return std::string(std::get<0>(info.param) == Engine::kSqlite ? "Sqlite" : "Postgres") +
         (std::get<1>(info.param) ? "BlobsInDatabase" : "BlobsInFiles");
}

INSTANTIATE_TEST_SUITE_P(EnginesAndBackends, AtRestTest,
                         ::testing::Combine(testing::kBothEngines, ::testing::Bool()), ParamName);

}  // namespace
}  // namespace pactum::store

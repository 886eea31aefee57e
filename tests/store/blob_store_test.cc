#include "pactum/store/blob_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/aead.h"
#include "pactum/crypto/random.h"
#include "store_test_support.h"

namespace pactum::store {
namespace {

using testing::TestDatabase;

enum class Backend : std::uint8_t { kFiles, kDatabase };

constexpr std::size_t kChunk = 1024;  // small, so a few KB exercise many chunks

class BlobStoreTest : public ::testing::TestWithParam<std::tuple<Engine, Backend>> {
 protected:
  void SetUp() override {
    test_ = TestDatabase::create(std::get<0>(GetParam()));
    ASSERT_NE(test_, nullptr);
    auto migrated = apply_store_migrations(test_->database());
    ASSERT_TRUE(migrated) << migrated.error().message;
    auto ring = crypto::Keyring::create(test_->dir() + "/master.key");
    ASSERT_TRUE(ring);
    ring_ = std::make_unique<crypto::Keyring>(std::move(*ring));
    blobs_ = make_store();
  }

  std::unique_ptr<BlobStore> make_store() {
    return std::make_unique<BlobStore>(test_->database(), *ring_, ciphertexts(), kChunk);
  }

  std::unique_ptr<CiphertextStore> ciphertexts() {
    return std::get<1>(GetParam()) == Backend::kFiles
               ? filesystem_ciphertexts(test_->dir() + "/blobs")
               : database_ciphertexts(test_->database());
  }

  // stored_ciphertext reads a blob's sealed bytes as stored, all chunks concatenated.
  Bytes stored_ciphertext(const std::string& id, std::uint64_t size) {
    const std::uint64_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
    Bytes out;
    EXPECT_TRUE(ciphertexts()->read(id, chunks, kChunk + 16, [&](std::uint64_t, ByteView chunk) {
      out.insert(out.end(), chunk.begin(), chunk.end());
      return Status{};
    }));
    return out;
  }

  Bytes wrapped_key_of(const std::string& id) {
    auto lease = test_->database().acquire();
    auto row = (*lease)->query_one("SELECT wrapped_key FROM blob_keys WHERE blob_id = ?", {id});
    EXPECT_TRUE(row);
    return row ? *row->blob(0) : Bytes{};
  }

  std::unique_ptr<TestDatabase> test_;
  std::unique_ptr<crypto::Keyring> ring_;
  std::unique_ptr<BlobStore> blobs_;
};

TEST_P(BlobStoreTest, RoundTripsEverySizeAroundChunkEdges) {
  for (std::size_t size : {0U, 1U, 1023U, 1024U, 1025U, 2048U, 5000U}) {
    const Bytes content = *crypto::random_bytes(size);
    auto id = blobs_->put_bytes(content);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_TRUE(is_valid_blob_id(*id));
    EXPECT_EQ(*blobs_->size(*id), size);
    auto back = blobs_->read_all(*id);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, content) << size;
  }
}

TEST_P(BlobStoreTest, StreamsFromAndToFiles) {
  const std::string source_path = test_->dir() + "/contract.pdf";
  const Bytes content = *crypto::random_bytes(10 * kChunk + 17);
  ASSERT_TRUE(write_file_atomically(source_path, content));
  auto source = open_file_source(source_path);
  ASSERT_TRUE(source);
  auto id = blobs_->put(**source);
  ASSERT_TRUE(id) << id.error().message;
  const std::string out_path = test_->dir() + "/out.pdf";
  ASSERT_TRUE(blobs_->read_to_file(*id, out_path));
  EXPECT_EQ(*read_file(out_path), content);
  std::size_t chunks = 0;
  ASSERT_TRUE(blobs_->read(*id, [&](ByteView chunk) {
    EXPECT_LE(chunk.size(), kChunk);
    ++chunks;
    return Status{};
  }));
  EXPECT_EQ(chunks, 11U);
}

TEST_P(BlobStoreTest, CiphertextHidesThePlaintext) {
  const std::string text = "This contract is made between Party A and Party B. ";
  std::string content;
  for (int i = 0; i < 50; ++i) {
    content += text;
  }
  auto id = blobs_->put_bytes(as_bytes(content));
  ASSERT_TRUE(id);
  const Bytes sealed = stored_ciphertext(*id, content.size());
  EXPECT_EQ(sealed.size(), content.size() + 3 * 16);
  EXPECT_EQ(as_chars(sealed).find("Party A"), std::string_view::npos);
  // Two puts of the same content share nothing: each has its own key.
  auto again = blobs_->put_bytes(as_bytes(content));
  ASSERT_TRUE(again);
  EXPECT_NE(stored_ciphertext(*again, content.size()), sealed);
  EXPECT_NE(wrapped_key_of(*again), wrapped_key_of(*id));
}

TEST_P(BlobStoreTest, RefusesBadIds) {
  for (std::string_view bad :
       {"", "../../etc/passwd", "..", "0123456789abcdef0123456789abcde/",
        "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef/../456789abcdef", "0123456789abcdef0123456789abcde\n",
        "'; DROP TABLE blob_keys; --"}) {
    EXPECT_EQ(blobs_->read_all(bad).error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(blobs_->remove(bad).error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(blobs_->size(bad).error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(ciphertexts()->remove(bad).error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(ciphertexts()->create(bad).error().code, ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(blobs_->read_all("0123456789abcdef0123456789abcdef").error().code,
            ErrorCode::kNotFound);
}

TEST_P(BlobStoreTest, TamperedCiphertextIsRefused) {
  const Bytes content = *crypto::random_bytes(3 * kChunk);
  auto id = blobs_->put_bytes(content);
  ASSERT_TRUE(id);
  if (std::get<1>(GetParam()) == Backend::kFiles) {
    const std::string path = test_->dir() + "/blobs/" + id->substr(0, 2) + "/" + *id;
    Bytes sealed = *read_file(path);
    sealed[kChunk + 40] ^= 1;  // inside the second chunk
    ASSERT_TRUE(write_file_atomically(path, sealed));
  } else {
    auto lease = test_->database().acquire();
    ASSERT_TRUE((*lease)->execute("DELETE FROM blob_chunks WHERE blob_id = ? AND seq = ?",
                                  {*id, 2}));  // drop the last chunk
  }
  std::size_t delivered = 0;
  Status read = blobs_->read(*id, [&](ByteView chunk) {
    delivered += chunk.size();
    return Status{};
  });
  ASSERT_FALSE(read);
  EXPECT_TRUE(read.error().code == ErrorCode::kCrypto || read.error().code == ErrorCode::kMalformed)
      << read.error().message;
  EXPECT_LT(delivered, content.size());
  const std::string out = test_->dir() + "/never.pdf";
  EXPECT_FALSE(blobs_->read_to_file(*id, out));
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_P(BlobStoreTest, WrappedKeyIsBoundToItsBlob) {
  auto a = blobs_->put_bytes(as_bytes("first document"));
  auto b = blobs_->put_bytes(as_bytes("second document"));
  ASSERT_TRUE(a && b);
  // Swapping wrapped keys between rows (an attacker with database access) does not open either.
  auto lease = test_->database().acquire();
  ASSERT_TRUE((*lease)->execute("UPDATE blob_keys SET wrapped_key = ? WHERE blob_id = ?",
                                {wrapped_key_of(*b), *a}));
  EXPECT_EQ(blobs_->read_all(*a).error().code, ErrorCode::kCrypto);
}

// Crypto-shredding: a copy of the ciphertext taken before deletion (a backup, a stolen disk)
// cannot be decrypted with anything that remains: the wrapped key is gone from the database and
// from every file of the data directory, and the blob store no longer knows the blob.
TEST_P(BlobStoreTest, DeletionShredsTheKey) {
  const std::string secret = "Purchase price: 4,200,000 CNY; Party B pays within 30 days.";
  // Blobs stored before and kept: on PostgreSQL the deleted row is then the lowest of its page,
  // the place a plain VACUUM leaves unerased (and the table is not truncated to nothing).
  std::vector<std::string> kept;
  for (int i = 0; i < 3; ++i) {
    auto other = blobs_->put_bytes(as_bytes("kept document " + std::to_string(i)));
    ASSERT_TRUE(other);
    kept.push_back(*other);
  }
  auto id = blobs_->put_bytes(as_bytes(secret));
  ASSERT_TRUE(id);
  const Bytes ciphertext_copy = stored_ciphertext(*id, secret.size());
  const Bytes wrapped = wrapped_key_of(*id);
  ASSERT_FALSE(wrapped.empty());
  auto data_key = ring_->unwrap({ring_->current_id(), wrapped}, "blob:" + *id);
  ASSERT_TRUE(data_key);  // the key a thief would need, for the assertions below

  ASSERT_TRUE(blobs_->remove(*id));
  EXPECT_EQ(blobs_->read_all(*id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(blobs_->remove(*id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ciphertexts()
                ->read(*id, 1, kChunk + 16, [](std::uint64_t, ByteView) { return Status{}; })
                .error()
                .code,
            ErrorCode::kNotFound);
  {
    auto lease = test_->database().acquire();
    ASSERT_TRUE(lease);
    EXPECT_FALSE(
        *(*lease)->query_optional("SELECT key_id FROM blob_keys WHERE blob_id = ?", {*id}));
  }

  // Nothing in the data directory (with SQLite: the database file, its WAL and shared memory,
  // read while the database is open) holds the wrapped key, the data key or the text.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test_->dir())) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const Bytes bytes = *read_file(entry.path().string());
    const auto contains = [&bytes](ByteView needle) {
      return std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end();
    };
    EXPECT_FALSE(contains(wrapped)) << entry.path();
    EXPECT_FALSE(contains(*data_key)) << entry.path();
    EXPECT_FALSE(contains(as_bytes("Purchase price"))) << entry.path();
  }
  if (std::get<0>(GetParam()) == Engine::kPostgres) {
    // The heap of blob_keys, page by page as PostgreSQL holds it (pageinspect, shipped in
    // Debian's postgresql package), no longer holds the wrapped key in a dead row; the kept
    // blobs' keys are there, so the search would find a key that is present.
    auto lease = test_->database().acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->run_script("CREATE EXTENSION IF NOT EXISTS pageinspect"));
    // blob_keys is split into hash partitions (migration 2): read the heap of every one.
    Bytes heap;
    auto pages = (*lease)->query(
        "SELECT get_raw_page(CAST(CAST(c.oid AS regclass) AS TEXT), CAST(n AS INTEGER)) "
        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "CROSS JOIN LATERAL generate_series(CAST(0 AS BIGINT), pg_relation_size(c.oid) / "
        "current_setting('block_size')::BIGINT - 1) n "
        "WHERE i.inhparent = CAST('blob_keys' AS regclass)");
    ASSERT_TRUE(pages) << pages.error().message;
    for (const Row& page : *pages) {
      const Bytes bytes = *page.blob(0);
      heap.insert(heap.end(), bytes.begin(), bytes.end());
    }
    ASSERT_FALSE(heap.empty());
    const auto in_heap = [&heap](ByteView needle) {
      return std::search(heap.begin(), heap.end(), needle.begin(), needle.end()) != heap.end();
    };
    EXPECT_FALSE(in_heap(wrapped)) << "the deleted wrapped key is still in the heap";
    EXPECT_TRUE(in_heap(wrapped_key_of(kept.back()))) << "the search finds present keys";
  }
  for (const std::string& other : kept) {
    EXPECT_TRUE(blobs_->read_all(other)) << "deleting one blob leaves the others readable";
  }

  // With the key as it was, the copy would open: the copy is real, only the key is gone.
  auto opened =
      crypto::open_chunk(*data_key, as_bytes("pactum-blob-v1\n" + *id), 0, true, ciphertext_copy);
  ASSERT_TRUE(opened);
  EXPECT_EQ(as_chars(*opened), secret);
}

TEST_P(BlobStoreTest, ShreddingRewritesOnlyThePartitionThatHeldTheKey) {
  if (std::get<0>(GetParam()) != Engine::kPostgres) {
    GTEST_SKIP() << "SQLite zeroes the row in place (secure_delete)";
  }
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto id = blobs_->put_bytes(as_bytes("document " + std::to_string(i)));
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  // files maps each partition of blob_keys to its data file (VACUUM FULL gives it a new one).
  // Each look-up borrows a connection only for itself: remove needs the pool too.
  const auto files = [this] {
    std::map<std::string, std::string> found;
    auto lease = test_->database().acquire();
    EXPECT_TRUE(lease);
    auto rows = (*lease)->query(
        "SELECT c.relname, CAST(c.relfilenode AS TEXT) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = CAST('blob_keys' AS regclass)");
    EXPECT_TRUE(rows) << rows.error().message;
    for (const Row& row : *rows) {
      found[*row.text(0)] = *row.text(1);
    }
    return found;
  };
  const auto before = files();
  EXPECT_EQ(before.size(), 64U);
  std::string partition;
  {
    auto lease = test_->database().acquire();
    ASSERT_TRUE(lease);
    auto holder = (*lease)->query_one(
        "SELECT CAST(CAST(tableoid AS regclass) AS TEXT) FROM blob_keys WHERE blob_id = ?",
        {ids.front()});
    ASSERT_TRUE(holder);
    partition = *holder->text(0);
  }

  ASSERT_TRUE(blobs_->remove(ids.front()));
  const auto after = files();
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [name, file] : before) {
    if (name == partition) {
      EXPECT_NE(after.at(name), file) << name << " held the key and was not rewritten";
    } else {
      EXPECT_EQ(after.at(name), file) << name << " was rewritten for another partition's key";
    }
  }
  for (std::size_t i = 1; i < ids.size(); ++i) {
    EXPECT_TRUE(blobs_->read_all(ids[i])) << "the other documents stay readable";
  }
}

TEST_P(BlobStoreTest, RotationRewrapsEveryKey) {
  std::vector<std::pair<std::string, Bytes>> stored;
  for (int i = 0; i < 5; ++i) {
    const Bytes content = *crypto::random_bytes(700 * static_cast<std::size_t>(i + 1));
    auto id = blobs_->put_bytes(content);
    ASSERT_TRUE(id);
    stored.emplace_back(*id, content);
  }
  const std::string old_key = ring_->current_id();
  ASSERT_TRUE(ring_->rotate());
  // Before rewrapping, old blobs still open (their key id is in the ring); new ones use the new
  // key.
  EXPECT_EQ(*blobs_->read_all(stored[0].first), stored[0].second);
  auto rewrapped = blobs_->rewrap_keys(2);  // three batches: 2, 2, 1
  ASSERT_TRUE(rewrapped) << rewrapped.error().message;
  EXPECT_EQ(*rewrapped, 5U);
  EXPECT_EQ(blobs_->count_keys_under(old_key).value_or(99), 0U);
  EXPECT_EQ(blobs_->rewrap_keys(0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*blobs_->rewrap_keys(), 0U);
  ASSERT_TRUE(ring_->retire(old_key));
  auto reloaded = crypto::Keyring::load(ring_->path());
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->ids().size(), 1U);
  BlobStore after(test_->database(), *reloaded, ciphertexts(), kChunk);
  for (const auto& [id, content] : stored) {
    auto back = after.read_all(id);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, content);
  }
  auto lease = test_->database().acquire();
  EXPECT_EQ(
      *(*lease)->query_one("SELECT COUNT(*) FROM blob_keys WHERE key_id = ?", {old_key})->int64(0),
      0);
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<Engine, Backend>>& info) {
  return std::string(std::get<0>(info.param) == Engine::kSqlite ? "Sqlite" : "Postgres") +
         (std::get<1>(info.param) == Backend::kFiles ? "Files" : "Database");
}

INSTANTIATE_TEST_SUITE_P(EnginesAndBackends, BlobStoreTest,
                         ::testing::Combine(testing::kBothEngines,
                                            ::testing::Values(Backend::kFiles, Backend::kDatabase)),
                         ParamName);

}  // namespace
}  // namespace pactum::store

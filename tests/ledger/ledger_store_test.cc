// The ledger's tree in the database, on SQLite and PostgreSQL: appends through the queue and
// directly give the same roots and proofs as the in-memory tree; consistency between heads
// before and after thousands of appends verifies, while a history with a rewritten or dropped
// leaf does not; the tables refuse UPDATE and DELETE; several nodes (separate pools) appending
// at once on one database keep one tree with every leaf exactly once.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "pactum/ledger/ledger_schema.h"
#include "pactum/ledger/ledger_store.h"
#include "pactum/ledger/memory_tree.h"
#include "store/store_test_support.h"

namespace pactum::ledger {
namespace {

using testing::EngineName;
using testing::kBothEngines;
using testing::TestDatabase;

Bytes leaf_bytes(std::string_view tag, std::size_t i) {
  Bytes out;
  append_text(out, std::string(tag) + "-" + std::to_string(i));
  return out;
}

class LedgerStoreTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = TestDatabase::create(GetParam(), 8);
    ASSERT_TRUE(db_);
    ASSERT_TRUE(migrate_ledger(db_->database()));
  }

  store::Database& database() { return db_->database(); }

  // all_leaf_hashes reads the sequenced leaves in index order.
  std::vector<Hash> all_leaf_hashes() {
    auto lease = database().acquire();
    EXPECT_TRUE(lease);
    auto rows = (*lease)->query("SELECT leaf_index, leaf FROM ledger_leaves ORDER BY leaf_index");
    EXPECT_TRUE(rows);
    std::vector<Hash> out;
    for (const auto& row : *rows) {
      EXPECT_EQ(*row.int64(0), static_cast<std::int64_t>(out.size()));
      out.push_back(leaf_hash(*row.blob(1)));
    }
    return out;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(LedgerStoreTest, QueuedAndDirectAppendsMatchTheMemoryTree) {
  MemoryTree memory;
  std::vector<Bytes> direct;
  for (std::size_t i = 0; i < 1500; ++i) {
    direct.push_back(leaf_bytes("direct", i));
    memory.append(leaf_hash(direct.back()));
  }
  // Direct appends in uneven batches.
  for (std::size_t at = 0; at < direct.size();) {
    const std::size_t count = std::min<std::size_t>(at % 7 == 0 ? 1 : 333, direct.size() - at);
    auto appended = append_leaves(database(), std::span(direct).subspan(at, count));
    ASSERT_TRUE(appended) << appended.error().message;
    EXPECT_EQ(appended->first_index, at);
    at += count;
    EXPECT_EQ(appended->size, at);
    EXPECT_EQ(appended->root, memory.root(at));
  }
  // Then queued ones, committed by "contract transactions", sequenced in batches of 400.
  for (std::size_t i = 0; i < 1000; ++i) {
    const Bytes leaf = leaf_bytes("queued", i);
    memory.append(leaf_hash(leaf));
    auto queued = store::in_transaction(database(), [&](store::Transaction& tx) {
      return queue_leaf(tx, leaf, static_cast<std::int64_t>(i));
    });
    ASSERT_TRUE(queued) << queued.error().message;
  }
  std::uint64_t sequenced = 0;
  while (true) {
    auto batch = sequence_queued(database(), 400);
    ASSERT_TRUE(batch) << batch.error().message;
    if (batch->count == 0) {
      break;
    }
    EXPECT_LE(batch->count, 400U);
    sequenced += batch->count;
    EXPECT_EQ(batch->root, memory.root(batch->size));
  }
  EXPECT_EQ(sequenced, 1000U);
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  EXPECT_EQ(*queued_count(**lease), 0U);
  ASSERT_EQ(*tree_size(**lease), 2500U);

  DatabaseNodeSource source(**lease);
  for (const std::uint64_t size : std::vector<std::uint64_t>{1, 2, 3, 1024, 1500, 2047, 2500}) {
    EXPECT_EQ(*root_hash(source, size), memory.root(size)) << size;
    for (const std::uint64_t index : std::vector<std::uint64_t>{0, size / 2, size - 1}) {
      auto proof = inclusion_proof(source, index, size);
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_EQ(*proof, *inclusion_proof(memory, index, size));
    }
  }
  // Consistency between a head taken before and after thousands of appends.
  auto consistency = consistency_proof(source, 37, 2500);
  ASSERT_TRUE(consistency);
  EXPECT_EQ(*consistency, *consistency_proof(memory, 37, 2500));
  EXPECT_TRUE(verify_consistency(37, memory.root(37), 2500, memory.root(2500), *consistency));

  // A history that rewrote leaf 20, or dropped it, is not a prefix of this tree.
  MemoryTree rewritten;
  MemoryTree dropped;
  for (std::size_t i = 0; i < 38; ++i) {
    const Bytes leaf = i == 20 ? leaf_bytes("forged", i) : direct[i];
    rewritten.append(leaf_hash(leaf));
    if (i != 20) {
      dropped.append(leaf_hash(direct[i]));
    }
  }
  EXPECT_FALSE(verify_consistency(37, rewritten.root(37), 2500, memory.root(2500), *consistency));
  EXPECT_FALSE(verify_consistency(37, dropped.root(37), 2500, memory.root(2500), *consistency));

  auto found = find_leaf(**lease, leaf_hash(direct[777]));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, 777U);
  EXPECT_FALSE(*find_leaf(**lease, leaf_hash(leaf_bytes("never", 0))));
}

TEST_P(LedgerStoreTest, TablesAreAppendOnly) {
  std::vector<Bytes> leaves = {leaf_bytes("a", 0), leaf_bytes("a", 1)};
  ASSERT_TRUE(append_leaves(database(), leaves));
  SignedTreeHead head{.head = {.size = 2, .root_hash = Hash{}, .timestamp_ms = 5},
                      .signature = {1},
                      .timestamp_token = {2},
                      .certificates = {{3}}};
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  ASSERT_TRUE(store_head(**lease, head));
  for (const char* sql : {"UPDATE ledger_leaves SET leaf = leaf_hash", "DELETE FROM ledger_leaves",
                          "UPDATE ledger_nodes SET hash = hash", "DELETE FROM ledger_nodes",
                          "UPDATE ledger_heads SET timestamp_ms = 6", "DELETE FROM ledger_heads"}) {
    EXPECT_FALSE((*lease)->execute(sql)) << sql;
  }
  if (GetParam() == store::Engine::kPostgres) {
    EXPECT_FALSE((*lease)->execute("TRUNCATE ledger_leaves"));
  }
  EXPECT_EQ(*tree_size(**lease), 2U);
}

TEST_P(LedgerStoreTest, HeadsOnePerSizeFirstKept) {
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  EXPECT_FALSE(*latest_head(**lease));
  SignedTreeHead first{.head = {.size = 3, .root_hash = sha256(as_bytes("r")), .timestamp_ms = 1},
                       .signature = {1},
                       .timestamp_token = {2},
                       .certificates = {{3}}};
  SignedTreeHead second = first;
  second.head.timestamp_ms = 2;
  EXPECT_EQ(*store_head(**lease, first), first);
  EXPECT_EQ(*store_head(**lease, second), first);  // the first signed head of a size stays
  SignedTreeHead larger = first;
  larger.head.size = 10;
  ASSERT_TRUE(store_head(**lease, larger));
  EXPECT_EQ(**latest_head(**lease), larger);
  EXPECT_EQ(**head_at(**lease, 3), first);
  EXPECT_FALSE(*head_at(**lease, 4));
}

TEST_P(LedgerStoreTest, RefusesBadLeaves) {
  const std::vector<Bytes> empty = {Bytes{}};
  EXPECT_EQ(append_leaves(database(), empty).error().code, ErrorCode::kInvalidArgument);
  const std::vector<Bytes> huge = {Bytes(kMaxLeafBytes + 1, 1)};
  EXPECT_EQ(append_leaves(database(), huge).error().code, ErrorCode::kInvalidArgument);
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  EXPECT_EQ(*tree_size(**lease), 0U);
}

TEST_P(LedgerStoreTest, ConcurrentNodesKeepOneTree) {
  // Four "nodes", each with its own pool on the same database, queue and sequence at once; two
  // more append directly.
  constexpr int kQueueingNodes = 4;
  constexpr int kDirectNodes = 2;
  constexpr std::size_t kPerNode = 300;
  std::vector<std::unique_ptr<store::Database>> nodes;
  for (int i = 0; i < kQueueingNodes + kDirectNodes; ++i) {
    auto opened = store::open_database({.url = db_->url(), .pool_size = 2});
    ASSERT_TRUE(opened) << opened.error().message;
    nodes.push_back(std::move(*opened));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < kQueueingNodes; ++n) {
    threads.emplace_back([&, n] {
      for (std::size_t i = 0; i < kPerNode; ++i) {
        const Bytes leaf = leaf_bytes("node" + std::to_string(n), i);
        auto queued =
            store::in_transaction(*nodes[static_cast<std::size_t>(n)],
                                  [&](store::Transaction& tx) { return queue_leaf(tx, leaf, 0); });
        if (!queued) {
          ++failures;
        }
        if (i % 25 == 0 && !sequence_queued(*nodes[static_cast<std::size_t>(n)], 64)) {
          ++failures;
        }
      }
    });
  }
  for (int n = 0; n < kDirectNodes; ++n) {
    threads.emplace_back([&, n] {
      auto& node = *nodes[static_cast<std::size_t>(kQueueingNodes + n)];
      for (std::size_t at = 0; at < kPerNode; at += 30) {
        std::vector<Bytes> batch;
        for (std::size_t i = at; i < at + 30; ++i) {
          batch.push_back(leaf_bytes("direct" + std::to_string(n), i));
        }
        if (auto appended = append_leaves(node, batch); !appended) {
          ADD_FAILURE() << appended.error().message;
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  ASSERT_EQ(failures.load(), 0);
  while (true) {
    auto batch = sequence_queued(database(), 1000);
    ASSERT_TRUE(batch);
    if (batch->count == 0) {
      break;
    }
  }
  const auto hashes = all_leaf_hashes();
  const std::size_t total = (kQueueingNodes + kDirectNodes) * kPerNode;
  ASSERT_EQ(hashes.size(), total);
  EXPECT_EQ(std::set<Hash>(hashes.begin(), hashes.end()).size(), total);  // each exactly once
  MemoryTree memory;
  for (const auto& hash : hashes) {
    memory.append(hash);
  }
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  DatabaseNodeSource source(**lease);
  // Every stored subtree agrees with the leaves: the root and proofs at every 97th size.
  for (std::uint64_t size = 1; size <= total; size += 97) {
    ASSERT_EQ(*root_hash(source, size), memory.root(size)) << size;
    ASSERT_EQ(*consistency_proof(source, size, total), *consistency_proof(memory, size, total));
  }
  EXPECT_EQ(*root_hash(source, total), memory.root(total));
}

INSTANTIATE_TEST_SUITE_P(Engines, LedgerStoreTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::ledger

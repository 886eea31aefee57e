#pragma once

// The ledger's tree in the database (ledger_schema.h): leaves queued by any transaction,
// sequenced in batches into the append-only tree, the stored subtrees read back as a NodeSource,
// and signed heads kept.
//
// Appending: queue_leaf inserts into ledger_queue inside the caller's transaction (a contract's
// state change and its evidence event commit together, and the caller never waits for the
// tree). sequence_queued then moves up to a batch of queued leaves into the tree in one write
// transaction: it takes the sequencer lock (PostgreSQL: a transaction-scoped advisory lock, so
// several pactumd nodes on one database take turns; SQLite: the one-writer lock of BEGIN
// IMMEDIATE), reads the tree's size and right edge (at most 64 stored hashes), appends each leaf,
// writes the leaf rows and every subtree the batch completes, and deletes the queue rows it
// took. append_leaves does the same for leaves given directly (bulk loads, tests). The primary
// keys on leaf_index and node_key make a fork impossible even without the lock: a second writer
// of the same index fails with kConflict and nothing of its batch is kept.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/ledger/hash.h"
#include "pactum/ledger/merkle.h"
#include "pactum/ledger/tree_head.h"
#include "pactum/store/database.h"

namespace pactum::ledger {

// kSequencerLockKey is the PostgreSQL advisory lock that serialises sequencing across nodes.
inline constexpr std::int64_t kSequencerLockKey = 0x6c6564676572;  // "ledger"

// kMaxLeafBytes bounds one leaf (an evidence leaf is under 140 bytes).
inline constexpr std::size_t kMaxLeafBytes = 4096;

// node_key returns the ledger_nodes key of id: level << 57 | index.
std::int64_t node_key(const NodeId& id);

// DatabaseNodeSource reads the stored subtrees through executor (a connection or a transaction):
// leaves from ledger_leaves and higher levels from ledger_nodes, in two statements per call.
class DatabaseNodeSource final : public NodeSource {
 public:
  explicit DatabaseNodeSource(store::Executor& executor) : executor_(executor) {}
  // nodes fails with kNotFound naming the first subtree not stored, and with store's errors.
  Result<std::vector<Hash>> nodes(std::span<const NodeId> ids) override;

 private:
  store::Executor& executor_;
};

// AppendResult says where a batch went.
struct AppendResult {
  std::uint64_t first_index = 0;  // the index of the batch's first leaf
  std::uint64_t count = 0;        // how many leaves were appended
  std::uint64_t size = 0;         // the tree's size after the batch
  Hash root{};                    // its root hash
};

// queue_leaf queues leaf for sequencing in the caller's transaction, at queued_at_us.
// kInvalidArgument for an empty leaf or one over kMaxLeafBytes; store's errors.
Status queue_leaf(store::Executor& transaction, ByteView leaf, std::int64_t queued_at_us);

// sequence_queued appends up to max_batch queued leaves, oldest first, in one transaction (see
// the top of this file), retrying on kRetryable. Returns what was appended (count 0 when the
// queue was empty). Fails with store's errors, kConflict if another writer without the lock
// took an index, kInternal if the stored tree is damaged (an edge subtree is missing).
Result<AppendResult> sequence_queued(store::Database& database, std::size_t max_batch);

// append_leaves appends leaves directly, in one transaction under the sequencer lock. Fails like
// sequence_queued, or with kInvalidArgument for an empty or over-long leaf.
Result<AppendResult> append_leaves(store::Database& database, std::span<const Bytes> leaves);

// tree_size returns the number of sequenced leaves; store's errors.
Result<std::uint64_t> tree_size(store::Executor& executor);

// queued_count returns how many leaves wait in the queue; store's errors.
Result<std::uint64_t> queued_count(store::Executor& executor);

// find_leaf returns the lowest index of a sequenced leaf whose leaf hash is leaf_hash, or
// nullopt; store's errors.
Result<std::optional<std::uint64_t>> find_leaf(store::Executor& executor, const Hash& leaf_hash);

// store_head records a signed head, unless one of its size is already stored (two nodes may
// sign the same size; the first kept wins). Returns the head stored for that size. Store's
// errors; kMalformed if the stored head's JSON does not parse.
Result<SignedTreeHead> store_head(store::Executor& executor, const SignedTreeHead& head);

// latest_head returns the stored head of the largest size, or nullopt when none was signed.
Result<std::optional<SignedTreeHead>> latest_head(store::Executor& executor);

// head_at returns the stored head of exactly size leaves, or nullopt.
Result<std::optional<SignedTreeHead>> head_at(store::Executor& executor, std::uint64_t size);

}  // namespace pactum::ledger

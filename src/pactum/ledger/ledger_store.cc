#include "pactum/ledger/ledger_store.h"

#include <algorithm>
#include <map>
#include <string>

#include <fmt/format.h>

namespace pactum::ledger {
namespace {

// kRowsPerInsert is how many rows one multi-row INSERT carries: on PostgreSQL every statement
// is a round trip, so a batch of 1,000 leaves costs ~16 statements instead of ~2,000.
constexpr std::size_t kRowsPerInsert = 64;
constexpr int kAttempts = 5;

std::string placeholders(std::size_t count, std::string_view row) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) {
      out += ',';
    }
    out += row;
  }
  return out;
}

Status check_leaf(ByteView leaf) {
  if (leaf.empty() || leaf.size() > kMaxLeafBytes) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("a ledger leaf must be 1 to {} bytes (got {})", kMaxLeafBytes, leaf.size()));
  }
  return {};
}

Result<std::uint64_t> unsigned_column(const store::Row& row, std::size_t column) {
  auto value = row.int64(column);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (*value < 0) {
    return fail(ErrorCode::kInternal, "a ledger size or index in the database is negative");
  }
  return static_cast<std::uint64_t>(*value);
}

Result<Hash> hash_column(const store::Row& row, std::size_t column) {
  auto blob = row.blob(column);
  if (!blob) {
    return std::unexpected(blob.error());
  }
  auto hash = hash_from_bytes(*blob, "a stored ledger hash");
  if (!hash) {
    return fail(ErrorCode::kInternal, hash.error().message);
  }
  return *hash;
}

// insert_rows runs "INSERT INTO table columns VALUES row,row,..." over params, row_width
// parameters per row, kRowsPerInsert rows per statement.
Status insert_rows(store::Executor& executor, std::string_view head, std::string_view row,
                   std::size_t row_width, const std::vector<store::Param>& params) {
  const std::size_t rows = params.size() / row_width;
  for (std::size_t at = 0; at < rows; at += kRowsPerInsert) {
    const std::size_t count = std::min(kRowsPerInsert, rows - at);
    const std::string sql = fmt::format("{} VALUES {}", head, placeholders(count, row));
    const std::span<const store::Param> chunk(params.data() + at * row_width, count * row_width);
    if (auto run = executor.run(sql, chunk, nullptr); !run) {
      return std::unexpected(run.error());
    }
  }
  return {};
}

// append_in appends leaves (with their hashes) to the tree in transaction, which holds the
// sequencer lock.
Result<AppendResult> append_in(store::Transaction& transaction, std::span<const Bytes> leaves) {
  auto size = tree_size(transaction);
  if (!size) {
    return std::unexpected(size.error());
  }
  std::vector<Hash> edge;
  if (*size > 0) {
    DatabaseNodeSource source(transaction);
    auto hashes = source.nodes(complete_subtrees({0, *size}));
    if (!hashes) {
      return fail(ErrorCode::kInternal,
                  "the ledger's stored right edge is incomplete: " + hashes.error().message);
    }
    edge = std::move(*hashes);
  }
  auto range = CompactRange::from_edge(*size, std::move(edge));
  if (!range) {
    return fail(ErrorCode::kInternal, range.error().message);
  }
  std::vector<Hash> leaf_hashes;
  leaf_hashes.reserve(leaves.size());
  std::vector<std::pair<std::int64_t, Hash>> nodes;
  nodes.reserve(leaves.size() + 64);
  for (const Bytes& leaf : leaves) {
    leaf_hashes.push_back(leaf_hash(leaf));
    range->append(leaf_hashes.back(), [&](const NodeId& id, const Hash& hash) {
      nodes.emplace_back(node_key(id), hash);
    });
  }
  std::vector<store::Param> leaf_params;
  leaf_params.reserve(3 * leaves.size());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    leaf_params.emplace_back(static_cast<std::int64_t>(*size + i));
    leaf_params.emplace_back(ByteView(leaf_hashes[i]));
    leaf_params.emplace_back(ByteView(leaves[i]));
  }
  if (auto st = insert_rows(transaction, "INSERT INTO ledger_leaves (leaf_index, leaf_hash, leaf)",
                            "(?, ?, ?)", 3, leaf_params);
      !st) {
    return std::unexpected(st.error());
  }
  std::vector<store::Param> node_params;
  node_params.reserve(2 * nodes.size());
  for (const auto& [key, hash] : nodes) {
    node_params.emplace_back(key);
    node_params.emplace_back(ByteView(hash));
  }
  if (auto st = insert_rows(transaction, "INSERT INTO ledger_nodes (node_key, hash)", "(?, ?)", 2,
                            node_params);
      !st) {
    return std::unexpected(st.error());
  }
  return AppendResult{
      .first_index = *size, .count = leaves.size(), .size = range->size(), .root = range->root()};
}

Status take_sequencer_lock(store::Transaction& transaction) {
  if (transaction.engine() != store::Engine::kPostgres) {
    return {};  // SQLite: BEGIN IMMEDIATE already made this the only writer
  }
  auto locked = transaction.execute("SELECT pg_advisory_xact_lock(?)", {kSequencerLockKey});
  if (!locked) {
    return std::unexpected(locked.error());
  }
  return {};
}

Result<SignedTreeHead> head_from_row(const store::Row& row) {
  auto json = row.text(0);
  if (!json) {
    return std::unexpected(json.error());
  }
  return parse_signed_tree_head(*json);
}

}  // namespace

std::int64_t node_key(const NodeId& id) {
  return static_cast<std::int64_t>((static_cast<std::uint64_t>(id.level) << 57) | id.index);
}

Result<std::vector<Hash>> DatabaseNodeSource::nodes(std::span<const NodeId> ids) {
  std::vector<store::Param> leaf_params;
  std::vector<store::Param> node_params;
  for (const NodeId& id : ids) {
    if (id.level == 0) {
      leaf_params.emplace_back(static_cast<std::int64_t>(id.index));
    } else {
      node_params.emplace_back(node_key(id));
    }
  }
  std::map<std::pair<bool, std::int64_t>, Hash> found;  // (is a leaf, index or key) -> hash
  const auto read = [&](std::string_view table_sql, const std::vector<store::Param>& params,
                        bool leaves) -> Status {
    if (params.empty()) {
      return {};
    }
    const std::string sql = fmt::format("{} IN ({})", table_sql, placeholders(params.size(), "?"));
    const store::RowCallback on_row = [&](store::Row& row) -> Status {
      auto key = row.int64(0);
      auto hash = hash_column(row, 1);
      if (!key || !hash) {
        return std::unexpected(!key ? key.error() : hash.error());
      }
      found[{leaves, *key}] = *hash;
      return {};
    };
    auto run = executor_.run(sql, params, &on_row);
    if (!run) {
      return std::unexpected(run.error());
    }
    return {};
  };
  if (auto st = read("SELECT leaf_index, leaf_hash FROM ledger_leaves WHERE leaf_index",
                     leaf_params, true);
      !st) {
    return std::unexpected(st.error());
  }
  if (auto st = read("SELECT node_key, hash FROM ledger_nodes WHERE node_key", node_params, false);
      !st) {
    return std::unexpected(st.error());
  }
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    const bool leaf = id.level == 0;
    const auto it = found.find({leaf, leaf ? static_cast<std::int64_t>(id.index) : node_key(id)});
    if (it == found.end()) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("the ledger has no complete subtree at level {} index {}", id.level,
                              id.index));
    }
    out.push_back(it->second);
  }
  return out;
}

Status queue_leaf(store::Executor& transaction, ByteView leaf, std::int64_t queued_at_us) {
  if (auto st = check_leaf(leaf); !st) {
    return st;
  }
  auto inserted = transaction.execute("INSERT INTO ledger_queue (leaf, queued_at_us) VALUES (?, ?)",
                                      {leaf, queued_at_us});
  if (!inserted) {
    return std::unexpected(inserted.error());
  }
  return {};
}

Result<AppendResult> sequence_queued(store::Database& database, std::size_t max_batch) {
  return store::in_transaction(
      database,
      [&](store::Transaction& transaction) -> Result<AppendResult> {
        if (auto st = take_sequencer_lock(transaction); !st) {
          return std::unexpected(st.error());
        }
        std::vector<std::int64_t> ids;
        std::vector<Bytes> leaves;
        const store::RowCallback on_row = [&](store::Row& row) -> Status {
          auto id = row.int64(0);
          auto leaf = row.take_blob(1);
          if (!id || !leaf) {
            return std::unexpected(!id ? id.error() : leaf.error());
          }
          ids.push_back(*id);
          leaves.push_back(std::move(*leaf));
          return {};
        };
        if (auto st = transaction.for_each("SELECT id, leaf FROM ledger_queue ORDER BY id LIMIT ?",
                                           {static_cast<std::int64_t>(max_batch)}, on_row);
            !st) {
          return std::unexpected(st.error());
        }
        if (leaves.empty()) {
          auto size = tree_size(transaction);
          if (!size) {
            return std::unexpected(size.error());
          }
          return AppendResult{.first_index = *size, .count = 0, .size = *size, .root = {}};
        }
        auto appended = append_in(transaction, leaves);
        if (!appended) {
          return appended;
        }
        // By id, never "id <= last": a queue row with a lower id may commit after this one.
        std::vector<store::Param> params(ids.begin(), ids.end());
        for (std::size_t at = 0; at < params.size(); at += kRowsPerInsert) {
          const std::size_t count = std::min(kRowsPerInsert, params.size() - at);
          const std::string sql =
              fmt::format("DELETE FROM ledger_queue WHERE id IN ({})", placeholders(count, "?"));
          if (auto run = transaction.run(sql, std::span(params).subspan(at, count), nullptr);
              !run) {
            return std::unexpected(run.error());
          }
        }
        return appended;
      },
      kAttempts);
}

Result<AppendResult> append_leaves(store::Database& database, std::span<const Bytes> leaves) {
  for (const Bytes& leaf : leaves) {
    if (auto st = check_leaf(leaf); !st) {
      return std::unexpected(st.error());
    }
  }
  return store::in_transaction(
      database,
      [&](store::Transaction& transaction) -> Result<AppendResult> {
        if (auto st = take_sequencer_lock(transaction); !st) {
          return std::unexpected(st.error());
        }
        return append_in(transaction, leaves);
      },
      kAttempts);
}

Result<std::uint64_t> tree_size(store::Executor& executor) {
  auto row = executor.query_one(
      "SELECT CAST(COALESCE(MAX(leaf_index) + 1, 0) AS BIGINT) FROM ledger_leaves");
  if (!row) {
    return std::unexpected(row.error());
  }
  return unsigned_column(*row, 0);
}

Result<std::uint64_t> queued_count(store::Executor& executor) {
  auto row = executor.query_one("SELECT CAST(COUNT(*) AS BIGINT) FROM ledger_queue");
  if (!row) {
    return std::unexpected(row.error());
  }
  return unsigned_column(*row, 0);
}

Result<std::optional<std::uint64_t>> find_leaf(store::Executor& executor, const Hash& leaf_hash) {
  auto row = executor.query_optional(
      "SELECT leaf_index FROM ledger_leaves WHERE leaf_hash = ? ORDER BY leaf_index LIMIT 1",
      {ByteView(leaf_hash)});
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<std::uint64_t>{};
  }
  auto index = unsigned_column(**row, 0);
  if (!index) {
    return std::unexpected(index.error());
  }
  return std::optional<std::uint64_t>(*index);
}

Result<SignedTreeHead> store_head(store::Executor& executor, const SignedTreeHead& head) {
  const std::string json = signed_tree_head_json(head);
  auto inserted = executor.execute(
      "INSERT INTO ledger_heads (tree_size, root_hash, timestamp_ms, head_json) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (tree_size) DO NOTHING",
      {static_cast<std::int64_t>(head.head.size), ByteView(head.head.root_hash),
       head.head.timestamp_ms, json});
  if (!inserted) {
    return std::unexpected(inserted.error());
  }
  auto stored = head_at(executor, head.head.size);
  if (!stored) {
    return std::unexpected(stored.error());
  }
  if (!*stored) {
    return fail(ErrorCode::kInternal, "a tree head just stored cannot be read back");
  }
  return std::move(**stored);
}

Result<std::optional<SignedTreeHead>> latest_head(store::Executor& executor) {
  auto row =
      executor.query_optional("SELECT head_json FROM ledger_heads ORDER BY tree_size DESC LIMIT 1");
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<SignedTreeHead>{};
  }
  auto head = head_from_row(**row);
  if (!head) {
    return std::unexpected(head.error());
  }
  return std::optional<SignedTreeHead>(std::move(*head));
}

Result<std::optional<SignedTreeHead>> head_at(store::Executor& executor, std::uint64_t size) {
  if (size > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<SignedTreeHead>{};
  }
  auto row = executor.query_optional("SELECT head_json FROM ledger_heads WHERE tree_size = ?",
                                     {static_cast<std::int64_t>(size)});
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<SignedTreeHead>{};
  }
  auto head = head_from_row(**row);
  if (!head) {
    return std::unexpected(head.error());
  }
  return std::optional<SignedTreeHead>(std::move(*head));
}

}  // namespace pactum::ledger

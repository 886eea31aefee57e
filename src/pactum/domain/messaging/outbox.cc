#include "pactum/domain/messaging/outbox.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "pactum/domain/clock.h"
#include "pactum/domain/login_identifier.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain::messaging {
namespace {

constexpr std::string_view kSealedField = "outbox.message";
constexpr std::string_view kIndexField = "outbox.to";

constexpr std::string_view kOutbox = R"sql(
CREATE TABLE sandbox_outbox (
  seq {{ID}},
  to_index TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  message_sealed {{BLOB}} NOT NULL,
  sent_at BIGINT NOT NULL
);
CREATE INDEX sandbox_outbox_by_recipient ON sandbox_outbox(to_index, seq);
)sql";

constexpr std::array<store::Migration, 1> kMigrations = {{
    {1, "sandbox outbox", kOutbox, {}},
}};

}  // namespace

std::span<const store::Migration> messaging_migrations() { return kMigrations; }

Status migrate_messaging(store::Database& database) {
  auto applied = store::apply_migrations(database, kMigrationComponent, messaging_migrations());
  if (!applied) {
    return std::unexpected(applied.error());
  }
  return {};
}

DomainResult<std::string> outbox_recipient(std::string_view to) {
  auto login = normalise_login(to);
  if (!login) {
    return refuse(DomainErrorCode::kInvalidInput, "to: not an e-mail address or phone number");
  }
  return std::move(login->value);
}

DomainStatus record_outbox(store::Executor& executor, const PiiCipher& pii,
                           const OutgoingMessage& message,
                           std::chrono::system_clock::time_point at) {
  auto to = outbox_recipient(message.to);
  if (!to) {
    return std::unexpected(to.error());
  }
  auto index = pii.blind_index(kIndexField, *to);
  if (!index) {
    return internal("indexing an outbox recipient", index.error());
  }
  const nlohmann::json body = {{"to", *to},
                               {"subject", message.subject},
                               {"text", message.text},
                               {"link", message.link},
                               {"code", message.code}};
  auto sealed = pii.seal(kSealedField, body.dump());
  if (!sealed) {
    return internal("sealing an outbox message", sealed.error());
  }
  auto inserted = executor.execute(
      "INSERT INTO sandbox_outbox (to_index, channel, message_sealed, sent_at) VALUES (?, ?, ?, ?)",
      {*index, channel_name(message.channel), *sealed, unix_seconds(at)});
  if (!inserted) {
    return internal("storing an outbox message", inserted.error());
  }
  return {};
}

DomainResult<std::vector<OutboxEntry>> list_outbox(store::Executor& executor, const PiiCipher& pii,
                                                   std::string_view to) {
  auto recipient = outbox_recipient(to);
  if (!recipient) {
    return std::unexpected(recipient.error());
  }
  auto candidates = pii.blind_index_candidates(kIndexField, *recipient);
  if (!candidates) {
    return internal("indexing an outbox recipient", candidates.error());
  }
  std::vector<store::Row> rows;
  for (const std::string& index : *candidates) {
    auto found = executor.query(
        "SELECT seq, channel, message_sealed, sent_at FROM sandbox_outbox WHERE to_index = ? "
        "ORDER BY seq DESC LIMIT ?",
        {index, kOutboxListLimit});
    if (!found) {
      return internal("reading the outbox", found.error());
    }
    rows.insert(rows.end(), found->begin(), found->end());
  }
  std::sort(rows.begin(), rows.end(), [](const store::Row& a, const store::Row& b) {
    return a.int64(0).value_or(0) > b.int64(0).value_or(0);
  });
  if (rows.size() > static_cast<std::size_t>(kOutboxListLimit)) {
    rows.resize(static_cast<std::size_t>(kOutboxListLimit));
  }
  std::vector<OutboxEntry> entries;
  entries.reserve(rows.size());
  for (const store::Row& row : rows) {
    auto channel = row.text(1);
    auto sealed = row.blob(2);
    auto sent_at = row.int64(3);
    if (!channel || !sealed || !sent_at) {
      return refuse(DomainErrorCode::kInternal, "outbox row of an unexpected shape");
    }
    auto opened = pii.open(kSealedField, *sealed);
    if (!opened) {
      return internal("unsealing an outbox message", opened.error());
    }
    const auto body = nlohmann::json::parse(*opened, nullptr, false);
    if (!body.is_object()) {
      return refuse(DomainErrorCode::kInternal, "outbox message is not a JSON object");
    }
    OutboxEntry entry;
    entry.channel = *channel == "email" ? Channel::kEmail : Channel::kSms;
    entry.to = body.value("to", "");
    entry.subject = body.value("subject", "");
    entry.text = body.value("text", "");
    entry.link = body.value("link", "");
    entry.code = body.value("code", "");
    entry.sent_at = from_unix_seconds(*sent_at);
    entries.push_back(std::move(entry));
  }
  return entries;
}

SendResult deliver_to_outbox(store::Database& database, const PiiCipher& pii,
                             const OutgoingMessage& message,
                             std::chrono::system_clock::time_point at, std::string_view provider) {
  if (!outbox_recipient(message.to)) {
    return std::unexpected(SendError{SendFailure::kRefused, std::string(provider),
                                     "not an e-mail address or phone number"});
  }
  auto stored = run_in_transaction(database, [&](store::Transaction& transaction) -> DomainStatus {
    return record_outbox(transaction, pii, message, at);
  });
  if (!stored) {
    return std::unexpected(
        SendError{SendFailure::kUnavailable, std::string(provider), stored.error().message});
  }
  return SendReceipt{std::string(provider), "outbox"};
}

}  // namespace pactum::domain::messaging

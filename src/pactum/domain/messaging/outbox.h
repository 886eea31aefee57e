#pragma once

// The sandbox outbox: every SMS and e-mail a sandbox provider "sends" is stored here instead, so a
// developer or a test reads the code and the link (GET /api/v1/sandbox/outbox). Rows are sealed
// with the PiiCipher (the recipient and the text are personal data, the text may hold a live
// code) and found by the blind index of the recipient. Only sandbox providers write it.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/domain/domain_error.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"
#include "pactum/store/migrations.h"

namespace pactum::domain::messaging {

// kMigrationComponent names messaging's migrations in store's schema_migrations.
inline constexpr std::string_view kMigrationComponent = "messaging";

// messaging_migrations returns messaging's schema steps, oldest first. Never edited once merged.
std::span<const store::Migration> messaging_migrations();

// migrate_messaging applies messaging's migrations the database lacks; store's errors.
Status migrate_messaging(store::Database& database);

// OutboxEntry is one stored message as GET /api/v1/sandbox/outbox shows it.
struct OutboxEntry {
  Channel channel = Channel::kSms;
  std::string to;
  std::string subject;
  std::string text;
  std::string link;  // empty when the message holds none
  std::string code;  // empty when the message holds none
  std::chrono::system_clock::time_point sent_at;
};

// kOutboxListLimit bounds how many messages one read returns (the newest).
inline constexpr std::int64_t kOutboxListLimit = 100;

// outbox_recipient normalises a recipient as the outbox indexes it: an e-mail address trimmed
// and lower-cased, a phone number in E.164 (as log-in names are); kInvalidInput otherwise.
DomainResult<std::string> outbox_recipient(std::string_view to);

// record_outbox stores message, sent at `at`, through executor. kInvalidInput if message.to is
// not an e-mail address or phone number; kInternal if sealing or the write fails.
DomainStatus record_outbox(store::Executor& executor, const PiiCipher& pii,
                           const OutgoingMessage& message,
                           std::chrono::system_clock::time_point at);

// list_outbox returns the messages sent to `to` (normalised first), newest first, at most
// kOutboxListLimit. kInvalidInput if `to` is not an e-mail address or phone number; kInternal
// if reading or unsealing fails.
DomainResult<std::vector<OutboxEntry>> list_outbox(store::Executor& executor, const PiiCipher& pii,
                                                   std::string_view to);

// deliver_to_outbox is what a sandbox provider's send does: it stores message in the outbox, sent
// at `at`, in its own write transaction on database. kRefused when message.to is not an e-mail
// address or phone number (as a real provider refuses an impossible number), kUnavailable when
// the write fails. The receipt names `provider`.
SendResult deliver_to_outbox(store::Database& database, const PiiCipher& pii,
                             const OutgoingMessage& message,
                             std::chrono::system_clock::time_point at, std::string_view provider);

}  // namespace pactum::domain::messaging

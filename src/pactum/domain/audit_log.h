#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/principal.h"
#include "pactum/domain/services.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// AuditEvent is one thing that happened: a state change or a document download. Written in the
// same transaction as the change it records, so there is no change without its entry.
struct AuditEvent {
  std::optional<std::string> enterprise_id;  // the tenant it belongs to; none for sign-up/log-in
  std::string actor;                         // Actor::label(), or "anonymous"
  std::string action;                        // "member.add", "document.download", ...
  std::string object_type;                   // "member", "document", ...
  std::string object_id;
  std::string client_address;
  std::string detail = "{}";  // small JSON object; never secrets or personal data
};

// AuditEntry is an event as stored: with its sequence number and time.
struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at_us = 0;  // microseconds since the epoch
  AuditEvent event;
};

// record_audit appends event at `at` through executor (normally the change's transaction).
// There is deliberately no function to change or remove entries, and the database refuses
// UPDATE and DELETE on the table (triggers on both engines). Store's errors.
Status record_audit(store::Executor& executor, const AuditEvent& event,
                    std::chrono::system_clock::time_point at);

// audit_change records that actor, from origin, did action on object (type, id) of enterprise
// (if any), now by the services' clock; kInternal if the write fails.
DomainStatus audit_change(store::Executor& executor, const Services& services, const Actor& actor,
                          const Origin& origin, std::optional<std::string> enterprise_id,
                          std::string action, std::string object_type, std::string object_id,
                          std::string detail = "{}");

// AuditQuery selects entries of one enterprise; every other field narrows it further.
struct AuditQuery {
  std::string enterprise_id;
  std::optional<std::int64_t> from_us;  // inclusive
  std::optional<std::int64_t> to_us;    // exclusive
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> object_id;
  std::optional<std::int64_t> after_seq;  // for paging: entries with a larger seq
  std::int64_t limit = 100;               // 1..1000
};

// query_audit returns the actor's view of the audit log: the entries of query.enterprise_id in
// seq order, if the actor may view that enterprise's audit log (kNotFound if the enterprise is
// outside the actor's reach, kForbidden if the role or scope lacks audit access).
DomainResult<std::vector<AuditEntry>> query_audit(const Services& services, const Actor& actor,
                                                  const AuditQuery& query);

}  // namespace pactum::domain

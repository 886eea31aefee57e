#include "pactum/domain/audit_log.h"

#include <string>

#include "pactum/domain/authorization.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain {
namespace {

constexpr std::int64_t kMaxAuditPage = 1000;

DomainResult<AuditEntry> read_entry(const store::Row& row) {
  auto seq = row.int64(0);
  auto at = row.int64(1);
  auto enterprise = row.optional_text(2);
  auto actor = row.text(3);
  auto action = row.text(4);
  auto object_type = row.text(5);
  auto object_id = row.text(6);
  auto address = row.text(7);
  auto detail = row.text(8);
  if (!seq || !at || !enterprise || !actor || !action || !object_type || !object_id ||
      !address || !detail) {
    return refuse(DomainErrorCode::kInternal, "unreadable audit row");
  }
  return AuditEntry{*seq, *at,
                    AuditEvent{std::move(*enterprise), std::move(*actor), std::move(*action),
                               std::move(*object_type), std::move(*object_id),
                               std::move(*address), std::move(*detail)}};
}

}  // namespace

Status record_audit(store::Executor& executor, const AuditEvent& event,
                    std::chrono::system_clock::time_point at) {
  const std::int64_t at_us =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  auto inserted = executor.execute(
      "INSERT INTO audit_log (at_us, enterprise_id, actor, action, object_type, object_id, "
      "client_address, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {at_us, event.enterprise_id, event.actor, event.action, event.object_type, event.object_id,
       event.client_address, event.detail});
  if (!inserted) {
    return std::unexpected(inserted.error());
  }
  return {};
}

DomainStatus audit_change(store::Executor& executor, const Services& services, const Actor& actor,
                          const Origin& origin, std::optional<std::string> enterprise_id,
                          std::string action, std::string object_type, std::string object_id,
                          std::string detail) {
  const AuditEvent event{.enterprise_id = std::move(enterprise_id),
                         .actor = actor.label(),
                         .action = std::move(action),
                         .object_type = std::move(object_type),
                         .object_id = std::move(object_id),
                         .client_address = origin.client_address,
                         .detail = std::move(detail)};
  if (auto recorded = record_audit(executor, event, services.clock()); !recorded) {
    return internal("writing the audit log", recorded.error());
  }
  return {};
}

DomainResult<std::vector<AuditEntry>> query_audit(const Services& services, const Actor& actor,
                                                  const AuditQuery& query) {
  if (query.limit < 1 || query.limit > kMaxAuditPage) {
    return refuse(DomainErrorCode::kInvalidInput, "limit must be 1 to 1000");
  }
  return with_connection(
      services.database,
      [&](store::Connection& connection) -> DomainResult<std::vector<AuditEntry>> {
        if (auto allowed =
                authorize(services, connection, actor, query.enterprise_id, Permission::kViewAudit);
            !allowed) {
          return std::unexpected(allowed.error());
        }
        // One statement for every filter combination: an absent filter binds NULL and its
        // condition is true, so the SQL stays fixed and fully parameterised.
        std::vector<AuditEntry> entries;
        const store::RowCallback on_row = [&](store::Row& row) -> Status {
          auto entry = read_entry(row);
          if (!entry) {
            return fail(ErrorCode::kInternal, entry.error().message);
          }
          entries.push_back(std::move(*entry));
          return {};
        };
        auto done = connection.for_each(
            "SELECT seq, at_us, enterprise_id, actor, action, object_type, object_id, "
            "client_address, detail FROM audit_log WHERE enterprise_id = ? "
            "AND (CAST(? AS BIGINT) IS NULL OR at_us >= ?) "
            "AND (CAST(? AS BIGINT) IS NULL OR at_us < ?) "
            "AND (CAST(? AS TEXT) IS NULL OR actor = ?) "
            "AND (CAST(? AS TEXT) IS NULL OR action = ?) "
            "AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
            "AND (CAST(? AS BIGINT) IS NULL OR seq > ?) "
            "ORDER BY seq LIMIT ?",
            {query.enterprise_id, query.from_us, query.from_us, query.to_us, query.to_us,
             query.actor, query.actor, query.action, query.action, query.object_id,
             query.object_id, query.after_seq, query.after_seq, query.limit},
            on_row);
        if (!done) {
          return internal("querying the audit log", done.error());
        }
        return entries;
      });
}

}  // namespace pactum::domain

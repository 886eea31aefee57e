#include "pactum/domain/intent/code_sender.h"

#include <nlohmann/json.hpp>

#include "pactum/domain/audit_log.h"
#include "pactum/domain/login_identifier.h"
#include "pactum/domain/messaging/dispatch.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain::intent {
namespace {

// with_channel adds "channel" to a JSON object detail.
std::string with_channel(const std::string& detail, messaging::Channel channel) {
  auto parsed = nlohmann::json::parse(detail, nullptr, false);
  if (!parsed.is_object()) {
    parsed = nlohmann::json::object();
  }
  parsed["channel"] = messaging::channel_name(channel);
  return parsed.dump();
}

}  // namespace

DomainResult<std::string> normalise_recipient(messaging::Channel channel, std::string_view to) {
  const bool sms = channel == messaging::Channel::kSms;
  auto login = normalise_login(to);
  if (!login || (login->kind == LoginKind::kPhone) != sms) {
    return refuse(DomainErrorCode::kInvalidInput,
                  sms ? "mobile: not a phone number" : "email: not an e-mail address");
  }
  return std::move(login->value);
}

DomainStatus audit_intent(store::Executor& executor, const IntentAudit& audit,
                          std::string_view action, std::string_view object_type,
                          std::string_view object_id, const std::string& detail,
                          std::chrono::system_clock::time_point now) {
  AuditEvent event{.enterprise_id = audit.enterprise_id,
                   .actor = audit.actor,
                   .action = std::string(action),
                   .object_type = std::string(object_type),
                   .object_id = std::string(object_id),
                   .client_address = audit.origin.client_address,
                   .detail = detail};
  if (auto recorded = record_audit(executor, event, now); !recorded) {
    return internal("auditing " + std::string(action), recorded.error());
  }
  return {};
}

DomainResult<CodeSent> send_code(const Services& services, const CodePolicy& policy,
                                 const ChallengeKey& key, std::string_view to,
                                 const CodeMessage& message, const IntentAudit& audit,
                                 std::string_view audit_action, const std::string& audit_detail) {
  if (message.message_template == nullptr) {
    return refuse(DomainErrorCode::kInternal, "send_code without a template");
  }
  if (services.messaging == nullptr) {
    return refuse(DomainErrorCode::kUnavailable, "this node sends no messages");
  }
  const auto now = services.clock();
  const std::string detail = with_channel(audit_detail, key.channel);
  auto issued = run_in_transaction(
      services.database, [&](store::Transaction& transaction) -> DomainResult<IssuedCode> {
        auto code = issue_code(transaction, services.pii, policy, key, to, now);
        if (!code) {
          return code;
        }
        if (auto audited = audit_intent(transaction, audit, audit_action, "code",
                                        code->challenge_id, detail, now);
            !audited) {
          return std::unexpected(audited.error());
        }
        return code;
      });
  if (!issued) {
    return std::unexpected(issued.error());
  }
  messaging::TemplateValues values = message.values;
  values.emplace_back("code", issued->code);
  values.emplace_back("minutes", std::to_string(policy.lifetime.count() / 60));
  auto outgoing = messaging::compose_message(key.channel, std::string(to),
                                             *message.message_template, message.language, values);
  auto sent = outgoing ? messaging::dispatch(*services.messaging, *outgoing)
                       : DomainResult<messaging::SendReceipt>(std::unexpected(outgoing.error()));
  if (!sent) {
    auto ended =
        run_in_transaction(services.database, [&](store::Transaction& transaction) -> DomainStatus {
          if (auto marked = mark_undelivered(transaction, issued->challenge_id); !marked) {
            return marked;
          }
          return audit_intent(transaction, audit, std::string(audit_action) + ".undelivered",
                              "code", issued->challenge_id, detail, services.clock());
        });
    if (!ended) {
      return std::unexpected(ended.error());
    }
    return std::unexpected(sent.error());
  }
  return CodeSent{std::move(issued->challenge_id), issued->expires_at, issued->resend_after,
                  std::move(sent->provider)};
}

}  // namespace pactum::domain::intent

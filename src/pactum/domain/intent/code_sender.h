#pragma once

// Sending a one-time code: the challenge is stored and audited in one transaction, committed,
// and only then handed to the SMS or e-mail provider (never inside the transaction: a provider
// may take seconds, and the sandbox provider writes its own transaction). A message no provider
// took ends its challenge.

#include <chrono>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/intent/code_challenge.h"
#include "pactum/domain/intent/intent_audit.h"
#include "pactum/domain/messaging/templates.h"
#include "pactum/domain/services.h"

namespace pactum::domain::intent {

// normalise_recipient checks that `to` is what channel delivers to and normalises it (E.164
// phone number for SMS, trimmed lower-case e-mail address): kInvalidInput naming "mobile" or
// "email" otherwise.
DomainResult<std::string> normalise_recipient(messaging::Channel channel, std::string_view to);

// CodeMessage is the message a code goes out in: the template (its {code} and {minutes} are
// filled in here, every other placeholder from values) and the language.
struct CodeMessage {
  const messaging::MessageTemplate* message_template = nullptr;
  messaging::Language language = messaging::Language::kZh;
  messaging::TemplateValues values;
};

// CodeSent is what the caller may show: when the code expires and when another may be asked.
struct CodeSent {
  std::string challenge_id;
  std::chrono::system_clock::time_point expires_at;
  std::chrono::system_clock::time_point resend_after;
  std::string provider;
};

// send_code issues a code for key (issue_code's limits), records audit_action (object "code",
// the challenge id; detail audit_detail plus the channel, never the code or the recipient),
// commits, then sends it to `to` (already normalised by normalise_recipient). Refusals:
// kRateLimited (resend too soon, too many for the recipient), kUnavailable (no provider of the
// channel, or every provider down; the challenge is then ended and "<action>.undelivered"
// audited), kInvalidInput (a provider refused the recipient; likewise), kInternal.
DomainResult<CodeSent> send_code(const Services& services, const CodePolicy& policy,
                                 const ChallengeKey& key, std::string_view to,
                                 const CodeMessage& message, const IntentAudit& audit,
                                 std::string_view audit_action,
                                 const std::string& audit_detail = "{}");

// audit_intent appends an entry of the intent component through executor at now.
DomainStatus audit_intent(store::Executor& executor, const IntentAudit& audit,
                          std::string_view action, std::string_view object_type,
                          std::string_view object_id, const std::string& detail,
                          std::chrono::system_clock::time_point now);

}  // namespace pactum::domain::intent

#include "pactum/domain/messaging/dispatch.h"

#include <string>

namespace pactum::domain::messaging {

DomainResult<SendReceipt> dispatch(const Messaging& messaging, const OutgoingMessage& message) {
  const bool sms = message.channel == Channel::kSms;
  SendResult sent = [&]() -> SendResult {
    if (sms && messaging.sms != nullptr) {
      return messaging.sms->send(message);
    }
    if (!sms && messaging.email != nullptr) {
      return messaging.email->send(message);
    }
    return std::unexpected(SendError{SendFailure::kUnavailable, "none", "no provider configured"});
  }();
  if (sent) {
    return std::move(*sent);
  }
  const std::string kind = sms ? "SMS" : "e-mail";
  if (sent.error().failure == SendFailure::kRefused) {
    return refuse(DomainErrorCode::kInvalidInput,
                  std::string(sms ? "mobile" : "email") + ": the " + kind +
                      " provider refused to deliver to this recipient");
  }
  return refuse(DomainErrorCode::kUnavailable,
                "the " + kind + " provider is unavailable (" +
                    std::string(send_failure_name(sent.error().failure)) + "); try again later");
}

}  // namespace pactum::domain::messaging

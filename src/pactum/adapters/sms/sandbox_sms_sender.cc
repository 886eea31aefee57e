#include "pactum/adapters/sms/sandbox_sms_sender.h"

#include "pactum/domain/messaging/outbox.h"

namespace pactum::adapters::sms {

domain::messaging::SendResult SandboxSmsSender::send(
    const domain::messaging::OutgoingMessage& message) {
  return domain::messaging::deliver_to_outbox(database_, pii_, message, clock_(), name());
}

}  // namespace pactum::adapters::sms

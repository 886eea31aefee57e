#include "pactum/adapters/smtp/sandbox_email_sender.h"

#include "pactum/domain/messaging/outbox.h"

namespace pactum::adapters::smtp {

domain::messaging::SendResult SandboxEmailSender::send(
    const domain::messaging::OutgoingMessage& message) {
  return domain::messaging::deliver_to_outbox(database_, pii_, message, clock_(), name());
}

}  // namespace pactum::adapters::smtp

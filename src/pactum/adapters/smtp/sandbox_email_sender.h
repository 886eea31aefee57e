#pragma once

#include <string_view>

#include "pactum/domain/clock.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::adapters::smtp {

// SandboxEmailSender is the development and test e-mail provider: nothing leaves the machine; every
// message goes to the sandbox outbox (domain/messaging/outbox.h), where GET
// /api/v1/sandbox/outbox shows it. It refuses (kRefused) a recipient that is not a phone number
// or e-mail address, as a mail server refuses an impossible address. Only a sandbox configuration
// builds one. database, pii and the clock must outlive it.
class SandboxEmailSender final : public domain::messaging::EmailSender {
 public:
  SandboxEmailSender(store::Database& database, const domain::PiiCipher& pii, domain::Clock clock)
      : database_(database), pii_(pii), clock_(std::move(clock)) {}

  domain::messaging::SendResult send(const domain::messaging::OutgoingMessage& message) override;
  [[nodiscard]] std::string_view name() const override { return "sandbox-email"; }

 private:
  store::Database& database_;
  const domain::PiiCipher& pii_;
  domain::Clock clock_;
};

}  // namespace pactum::adapters::smtp

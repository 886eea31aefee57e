#pragma once

#include <string_view>

#include "pactum/domain/clock.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::adapters::sms {

// SandboxSmsSender is the development and test SMS provider: nothing leaves the machine; every
// message goes to the sandbox outbox (domain/messaging/outbox.h), where GET
// /api/v1/sandbox/outbox shows it. It refuses (kRefused) a recipient that is not a phone number
// or e-mail address, as a carrier refuses an impossible number. Only a sandbox configuration
// builds one. database, pii and the clock must outlive it.
class SandboxSmsSender final : public domain::messaging::SmsSender {
 public:
  SandboxSmsSender(store::Database& database, const domain::PiiCipher& pii, domain::Clock clock)
      : database_(database), pii_(pii), clock_(std::move(clock)) {}

  domain::messaging::SendResult send(const domain::messaging::OutgoingMessage& message) override;
  [[nodiscard]] std::string_view name() const override { return "sandbox-sms"; }

 private:
  store::Database& database_;
  const domain::PiiCipher& pii_;
  domain::Clock clock_;
};

}  // namespace pactum::adapters::sms

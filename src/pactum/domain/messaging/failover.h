#pragma once

// Several providers of one kind behind one sender: the first is asked, and the next only when one
// is down, times out or answers garbage. A definite refusal is final.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pactum/domain/messaging/senders.h"

namespace pactum::domain::messaging {

// should_fail_over returns true for the failures that say "this provider, now" rather than
// "this message": the next provider may succeed.
constexpr bool should_fail_over(SendFailure failure) { return failure != SendFailure::kRefused; }

// Failover<Sender> is a Sender (SmsSender or EmailSender) over an ordered list of providers.
// send asks each in turn until one accepts (its receipt is returned) or refuses (that refusal
// is returned, the rest are not asked); when every provider was down, timed out or answered
// garbage, the last provider's error is returned with the failures of all of them in its
// message. An empty list answers kUnavailable.
template <typename Sender>
class Failover final : public Sender {
 public:
  explicit Failover(std::vector<std::unique_ptr<Sender>> providers)
      : providers_(std::move(providers)) {
    for (const auto& provider : providers_) {
      name_ += (name_.empty() ? "" : ",") + std::string(provider->name());
    }
    if (name_.empty()) {
      name_ = "none";
    }
  }

  SendResult send(const OutgoingMessage& message) override {
    SendError last{SendFailure::kUnavailable, name_, "no provider is configured"};
    std::string tried;
    for (const auto& provider : providers_) {
      SendResult sent = provider->send(message);
      if (sent || !should_fail_over(sent.error().failure)) {
        return sent;
      }
      last = std::move(sent.error());
      tried += (tried.empty() ? "" : "; ") + last.provider + ": " + last.message;
    }
    if (!tried.empty()) {
      last.message = "every provider failed (" + tried + ")";
    }
    return std::unexpected(std::move(last));
  }

  [[nodiscard]] std::string_view name() const override { return name_; }

 private:
  std::vector<std::unique_ptr<Sender>> providers_;
  std::string name_;
};

using FailoverSmsSender = Failover<SmsSender>;
using FailoverEmailSender = Failover<EmailSender>;

}  // namespace pactum::domain::messaging

#pragma once

// The ports through which the platform sends SMS and e-mail. Real providers (adapters/sms,
// adapters/smtp) and the sandbox providers beside them implement these; the domain only ever
// holds the interfaces. Header only, so domain::Services can refer to them without linking.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace pactum::domain::messaging {

// Channel says how a message travels.
enum class Channel : std::uint8_t { kSms, kEmail };

// channel_name returns "sms" or "email" (the sandbox outbox's "channel").
constexpr std::string_view channel_name(Channel channel) {
  return channel == Channel::kSms ? "sms" : "email";
}

// OutgoingMessage is one message to one recipient. `to` is an E.164 mobile number (SMS) or an
// e-mail address, already normalised. subject is unused by SMS. link and code repeat the
// signing link and the one-time code the text contains (empty when it holds none) so the
// sandbox outbox can show them apart; real providers send only subject and text.
struct OutgoingMessage {
  Channel channel = Channel::kSms;
  std::string to;
  std::string subject;
  std::string text;
  std::string link;
  std::string code;
};

// SendFailure says why a provider did not take a message, which decides fail-over: kUnavailable,
// kTimedOut and kBadAnswer mean "this provider, now" (the next provider is tried); kRefused is a
// definite no about this message (an invalid or blocked number, rejected content) that another
// provider would repeat, so it is not retried elsewhere.
enum class SendFailure : std::uint8_t {
  kUnavailable,  // unreachable, connection refused, 5xx, provider-side error or throttling
  kTimedOut,     // no complete answer within the provider's time limit
  kBadAnswer,    // an answer that does not parse or does not say the message was accepted
  kRefused,      // the provider refused this message for a reason another would share
};

// send_failure_name returns "unavailable", "timed_out", "bad_answer" or "refused".
constexpr std::string_view send_failure_name(SendFailure failure) {
  switch (failure) {
    case SendFailure::kUnavailable:
      return "unavailable";
    case SendFailure::kTimedOut:
      return "timed_out";
    case SendFailure::kBadAnswer:
      return "bad_answer";
    case SendFailure::kRefused:
      return "refused";
  }
  return "unavailable";
}

// SendError is a failed send: why, which provider, and a message for the operator's log (never
// the text of the message, which may hold a code).
struct SendError {
  SendFailure failure = SendFailure::kUnavailable;
  std::string provider;
  std::string message;
};

// SendReceipt is an accepted message: which provider took it and its reference for the message
// (for evidence and support; may be empty when the provider gives none).
struct SendReceipt {
  std::string provider;
  std::string reference;
};

// SendResult is what a send returns.
using SendResult = std::expected<SendReceipt, SendError>;

// SmsSender sends one SMS. send must be safe to call from several threads at once.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // send hands message (channel kSms) to the provider; the SendError says why it did not.
  virtual SendResult send(const OutgoingMessage& message) = 0;
  // name identifies the provider in receipts, logs and audit details ("sandbox", "http:...").
  [[nodiscard]] virtual std::string_view name() const = 0;
};

// EmailSender sends one e-mail; as SmsSender.
class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual SendResult send(const OutgoingMessage& message) = 0;
  [[nodiscard]] virtual std::string_view name() const = 0;
};

// Messaging is what a node sends messages with. sandbox is true when both senders are sandbox
// providers (nothing leaves the machine; GET /api/v1/sandbox/outbox is routed); a production
// configuration never has a sandbox sender. Null senders mean the node sends nothing of that
// kind (use cases that need one answer kUnavailable).
struct Messaging {
  SmsSender* sms = nullptr;
  EmailSender* email = nullptr;
  bool sandbox = false;
};

}  // namespace pactum::domain::messaging

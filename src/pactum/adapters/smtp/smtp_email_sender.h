#pragma once

// E-mail over SMTP with libcurl: one connection per message, STARTTLS required by default (the
// server's certificate verified, against ca_file when given), AUTH with a user name and
// password when given, a time limit for the whole exchange. The message is plain text in UTF-8
// (base64 body, RFC 2047 subject), so Chinese and English both arrive intact.
//
// Failures: no connection, a broken or timed-out exchange, a TLS or login failure, or a 4xx
// answer mean this server cannot send now (fail-over to the next); a 5xx refusal of the
// recipient is a refusal (not retried elsewhere).

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pactum/base/error.h"
#include "pactum/domain/clock.h"
#include "pactum/domain/messaging/senders.h"

namespace pactum::adapters::smtp {

// SmtpSettings is one server's entry in providers.json ("kind":"smtp").
struct SmtpSettings {
  std::string name;       // shown in receipts and logs ("smtp:<name>")
  std::string url;        // smtp://host:port (STARTTLS) or smtps://host:port (TLS from the start)
  std::string from;       // the envelope and From: address, "noreply@example.com"
  std::string from_name;  // optional display name
  std::string username;   // empty: no AUTH
  std::string password;   // never logged
  bool starttls = true;   // refuse to send over a connection STARTTLS did not protect
  std::string ca_file;    // PEM roots to verify the server with; empty: the system's
  std::chrono::milliseconds timeout{10'000};
};

// parse_smtp_settings reads an entry: {"kind":"smtp","name","url","from","from_name"?,
// "username"?,"password"?,"starttls"?,"ca_file"?,"timeout_ms"?}. kInvalidArgument naming the
// field that is missing, of the wrong type or out of range (timeout 100..120000 ms), an unknown
// key, a url that is not smtp:// or smtps://, a from without '@', a username without password.
Result<SmtpSettings> parse_smtp_settings(const nlohmann::json& entry);

// format_email returns the RFC 5322 message curl uploads: Date (from `date`), From, To,
// Subject (RFC 2047 base64 UTF-8), Message-ID (message_id@from's domain), MIME headers, and the
// text as base64 in lines of 76.
std::string format_email(const SmtpSettings& settings,
                         const domain::messaging::OutgoingMessage& message,
                         std::chrono::system_clock::time_point date, std::string_view message_id);

// SmtpEmailSender sends through one server. Thread-safe (a libcurl handle per send).
class SmtpEmailSender final : public domain::messaging::EmailSender {
 public:
  SmtpEmailSender(SmtpSettings settings, domain::Clock clock);

  domain::messaging::SendResult send(const domain::messaging::OutgoingMessage& message) override;
  [[nodiscard]] std::string_view name() const override { return name_; }

 private:
  SmtpSettings settings_;
  domain::Clock clock_;
  std::string name_;
};

}  // namespace pactum::adapters::smtp

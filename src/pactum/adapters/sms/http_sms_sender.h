#pragma once

// An SMS provider reached over HTTPS with a signed JSON request, the shape of the mainland
// carriers' aggregators (an access key id and secret, HMAC-signed requests, a result code in
// the answer). The wire format:
//
//   POST {url}   Content-Type: application/json
//   {"to":"+8613900000001","text":"...","sign_name":"Pactum"}
//   X-Sms-Access-Key: {access_key_id}
//   X-Sms-Timestamp:  Unix seconds
//   X-Sms-Nonce:      32 random hex digits
//   X-Sms-Signature:  hex(HMAC-SHA256(access_key_secret,
//                         "POST\n" + path + "\n" + timestamp + "\n" + nonce + "\n" +
//                         hex(SHA-256(body))))
//
//   answer: {"code":"OK","message_id":"..."} or {"code":"<error>","message":"..."}
//
// Provider codes are mapped (sms_result_failure): OK accepts; INVALID_NUMBER, BLOCKED_NUMBER,
// NUMBER_OPTED_OUT, CONTENT_REJECTED are refusals (not retried elsewhere); THROTTLED,
// SERVICE_BUSY, INTERNAL_ERROR, AUTH_FAILED, SIGNATURE_MISMATCH, BALANCE_EXHAUSTED mean this
// provider cannot send now (fail-over); anything else is a bad answer. A 5xx, a refused or
// broken connection is unavailable and retried here up to `retries` more times; no complete
// answer within `timeout` is timed out (not retried here: the next provider is).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pactum/base/error.h"
#include "pactum/domain/clock.h"
#include "pactum/domain/messaging/senders.h"

namespace pactum::adapters::sms {

// HttpSmsSettings is one provider's entry in providers.json ("kind":"http").
struct HttpSmsSettings {
  std::string name;  // shown in receipts and logs ("http:<name>")
  std::string url;   // http(s)://host[:port]/path
  std::string access_key_id;
  std::string access_key_secret;  // never logged
  std::string sign_name;          // the registered sender signature (签名)
  std::chrono::milliseconds timeout{5'000};
  int retries = 1;  // extra attempts after an unavailable answer
};

// parse_http_sms_settings reads an entry: {"kind":"http","name","url","access_key_id",
// "access_key_secret","sign_name","timeout_ms"?,"retries"?}. kInvalidArgument naming the
// field that is missing, of the wrong type, out of range (timeout 100..60000 ms, retries 0..3),
// or an unknown key; a url that is not http(s).
Result<HttpSmsSettings> parse_http_sms_settings(const nlohmann::json& entry);

// sms_result_failure maps a provider result code: nullopt for "OK", the failure otherwise.
std::optional<domain::messaging::SendFailure> sms_result_failure(std::string_view code);

// sms_request_signature computes X-Sms-Signature (hex) for the request parts.
std::string sms_request_signature(std::string_view secret, std::string_view path,
                                  std::string_view timestamp, std::string_view nonce,
                                  std::string_view body);

// HttpSmsSender sends through one such provider. Thread-safe (a libcurl handle per send).
class HttpSmsSender final : public domain::messaging::SmsSender {
 public:
  HttpSmsSender(HttpSmsSettings settings, domain::Clock clock);

  domain::messaging::SendResult send(const domain::messaging::OutgoingMessage& message) override;
  [[nodiscard]] std::string_view name() const override { return name_; }

 private:
  domain::messaging::SendResult attempt(const domain::messaging::OutgoingMessage& message);

  HttpSmsSettings settings_;
  domain::Clock clock_;
  std::string name_;
  std::string path_;
};

}  // namespace pactum::adapters::sms

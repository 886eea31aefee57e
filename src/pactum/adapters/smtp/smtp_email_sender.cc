#include "pactum/adapters/smtp/smtp_email_sender.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <tuple>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/base/bytes.h"
#include "pactum/crypto/random.h"

namespace pactum::adapters::smtp {
namespace {

using domain::messaging::OutgoingMessage;
using domain::messaging::SendError;
using domain::messaging::SendFailure;
using domain::messaging::SendReceipt;
using domain::messaging::SendResult;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),         // NOLINT
                      reinterpret_cast<const unsigned char*>(text.data()),  // NOLINT
                      static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

// header_safe drops CR and LF so no value can start a header of its own.
std::string header_safe(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c != '\r' && c != '\n') {
      out += c;
    }
  }
  return out;
}

std::string encoded_word(std::string_view text) { return "=?UTF-8?B?" + base64(text) + "?="; }

// Upload feeds the message to curl's read callback.
struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t feed(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::copy_n(upload->data.data() + upload->offset, n, buffer);
  upload->offset += n;
  return n;
}

const std::string* string_field(const nlohmann::json& entry, const char* name) {
  if (!entry.contains(name) || !entry[name].is_string()) {
    return nullptr;
  }
  return entry[name].get_ptr<const std::string*>();
}

SendFailure failure_of(CURLcode code, long smtp_status) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return SendFailure::kTimedOut;
    case CURLE_SEND_ERROR:
      // libcurl 7.88 reports a refused RCPT as a send error; the SMTP code says which: 550
      // (no such mailbox), 551 (not local), 553 (name not allowed) are about the recipient.
      return smtp_status == 550 || smtp_status == 551 || smtp_status == 553
                 ? SendFailure::kRefused
                 : SendFailure::kUnavailable;
    case CURLE_WEIRD_SERVER_REPLY:
      return SendFailure::kBadAnswer;
    default:
      return SendFailure::kUnavailable;
  }
}

}  // namespace

Result<SmtpSettings> parse_smtp_settings(const nlohmann::json& entry) {
  if (!entry.is_object()) {
    return fail(ErrorCode::kInvalidArgument, "an e-mail provider must be an object");
  }
  for (const auto& [key, value] : entry.items()) {
    if (key != "kind" && key != "name" && key != "url" && key != "from" && key != "from_name" &&
        key != "username" && key != "password" && key != "starttls" && key != "ca_file" &&
        key != "timeout_ms") {
      return fail(ErrorCode::kInvalidArgument, "email provider: unknown key \"" + key + "\"");
    }
  }
  SmtpSettings settings;
  for (const auto& [name, out, required] :
       std::array<std::tuple<const char*, std::string*, bool>, 7>{
           {{"name", &settings.name, true},
            {"url", &settings.url, true},
            {"from", &settings.from, true},
            {"from_name", &settings.from_name, false},
            {"username", &settings.username, false},
            {"password", &settings.password, false},
            {"ca_file", &settings.ca_file, false}}}) {
    if (!entry.contains(name)) {
      if (required) {
        return fail(ErrorCode::kInvalidArgument,
                    std::string("email provider: ") + name + " is required");
      }
      continue;
    }
    const std::string* value = string_field(entry, name);
    if (value == nullptr || (required && value->empty())) {
      return fail(ErrorCode::kInvalidArgument,
                  std::string("email provider: ") + name + " must be a non-empty string");
    }
    *out = *value;
  }
  if (!settings.url.starts_with("smtp://") && !settings.url.starts_with("smtps://")) {
    return fail(ErrorCode::kInvalidArgument, "email provider: url must be smtp:// or smtps://");
  }
  if (settings.from.find('@') == std::string::npos ||
      settings.from.find_first_of("\r\n<> ") != std::string::npos) {
    return fail(ErrorCode::kInvalidArgument, "email provider: from must be an e-mail address");
  }
  if (!settings.username.empty() && settings.password.empty()) {
    return fail(ErrorCode::kInvalidArgument, "email provider: username without a password");
  }
  if (entry.contains("starttls")) {
    if (!entry["starttls"].is_boolean()) {
      return fail(ErrorCode::kInvalidArgument, "email provider: starttls must be true or false");
    }
    settings.starttls = entry["starttls"].get<bool>();
  }
  if (entry.contains("timeout_ms")) {
    const auto& value = entry["timeout_ms"];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 100 ||
        value.get<std::int64_t>() > 120'000) {
      return fail(ErrorCode::kInvalidArgument, "email provider: timeout_ms must be 100..120000");
    }
    settings.timeout = std::chrono::milliseconds(value.get<std::int64_t>());
  }
  return settings;
}

std::string format_email(const SmtpSettings& settings, const OutgoingMessage& message,
                         std::chrono::system_clock::time_point date, std::string_view message_id) {
  const std::string domain = settings.from.substr(settings.from.find('@') + 1);
  const std::string from =
      settings.from_name.empty()
          ? "<" + settings.from + ">"
          : encoded_word(header_safe(settings.from_name)) + " <" + settings.from + ">";
  std::string out = fmt::format(
      "Date: {:%a, %d %b %Y %H:%M:%S +0000}\r\n"
      "From: {}\r\n"
      "To: <{}>\r\n"
      "Subject: {}\r\n"
      "Message-ID: <{}@{}>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n",
      std::chrono::floor<std::chrono::seconds>(date), from, header_safe(message.to),
      encoded_word(header_safe(message.subject)), message_id, domain);
  const std::string body = base64(message.text);
  for (std::size_t at = 0; at < body.size(); at += 76) {
    out += body.substr(at, 76) + "\r\n";
  }
  return out;
}

SmtpEmailSender::SmtpEmailSender(SmtpSettings settings, domain::Clock clock)
    : settings_(std::move(settings)), clock_(std::move(clock)), name_("smtp:" + settings_.name) {}

SendResult SmtpEmailSender::send(const OutgoingMessage& message) {
  auto fault = [this](SendFailure failure, std::string text) -> SendResult {
    return std::unexpected(SendError{failure, name_, std::move(text)});
  };
  if (message.to.find_first_of("\r\n<> ") != std::string::npos ||
      message.to.find('@') == std::string::npos) {
    return fault(SendFailure::kRefused, "not an e-mail address");
  }
  if (global_init() != CURLE_OK) {
    return fault(SendFailure::kUnavailable, "cannot initialise libcurl");
  }
  auto id_bytes = crypto::random_bytes(16);
  if (!id_bytes) {
    return fault(SendFailure::kUnavailable, "no random message id");
  }
  const std::string message_id = to_hex(*id_bytes);
  const std::string text = format_email(settings_, message, clock_(), message_id);
  Upload upload{text};
  std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, ("<" + message.to + ">").c_str()));
  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl || !recipients) {
    return fault(SendFailure::kUnavailable, "cannot create a libcurl handle");
  }
  const std::string mail_from = "<" + settings_.from + ">";
  const auto timeout_ms = static_cast<long>(settings_.timeout.count());
  for (const CURLcode code : {
           curl_easy_setopt(curl.get(), CURLOPT_URL, settings_.url.c_str()),
           curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps"),
           curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L),
           curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl.get(), CURLOPT_USE_SSL,
                            settings_.starttls ? static_cast<long>(CURLUSESSL_ALL)
                                               : static_cast<long>(CURLUSESSL_NONE)),
           curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYPEER, 1L),
           curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYHOST, 2L),
           curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail_from.c_str()),
           curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get()),
           curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L),
           curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, feed),
           curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload),
           curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE,
                            static_cast<curl_off_t>(text.size())),
       }) {
    if (code != CURLE_OK) {
      return fault(SendFailure::kUnavailable,
                   fmt::format("libcurl refused an option: {}", curl_easy_strerror(code)));
    }
  }
  if (!settings_.ca_file.empty() &&
      curl_easy_setopt(curl.get(), CURLOPT_CAINFO, settings_.ca_file.c_str()) != CURLE_OK) {
    return fault(SendFailure::kUnavailable, "libcurl refused the CA file");
  }
  if (!settings_.username.empty() &&
      (curl_easy_setopt(curl.get(), CURLOPT_USERNAME, settings_.username.c_str()) != CURLE_OK ||
       curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, settings_.password.c_str()) != CURLE_OK)) {
    return fault(SendFailure::kUnavailable, "libcurl refused the credentials");
  }
  const CURLcode performed = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (performed != CURLE_OK) {
    return fault(failure_of(performed, status),
                 fmt::format("SMTP {}: {}", status, curl_easy_strerror(performed)));
  }
  return SendReceipt{name_, message_id};
}

}  // namespace pactum::adapters::smtp

#include "pactum/adapters/sms/http_sms_sender.h"

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/base/bytes.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/hmac.h"
#include "pactum/crypto/random.h"

namespace pactum::adapters::sms {
namespace {

using domain::messaging::OutgoingMessage;
using domain::messaging::SendError;
using domain::messaging::SendFailure;
using domain::messaging::SendReceipt;
using domain::messaging::SendResult;

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

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

struct Answer {
  std::string body;
  bool too_large = false;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<Answer*>(user);
  const std::size_t length = size * count;
  if (answer->body.size() + length > kMaxAnswerBytes) {
    answer->too_large = true;
    return 0;
  }
  answer->body.append(data, length);
  return length;
}

// path_of returns the path of an http(s) URL ("/" when it has none).
std::string path_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (slash == std::string_view::npos) {
    return "/";
  }
  return std::string(url.substr(slash, url.find_first_of("?#", slash) - slash));
}

const std::string* string_field(const nlohmann::json& entry, const char* name) {
  if (!entry.contains(name) || !entry[name].is_string()) {
    return nullptr;
  }
  return entry[name].get_ptr<const std::string*>();
}

}  // namespace

Result<HttpSmsSettings> parse_http_sms_settings(const nlohmann::json& entry) {
  if (!entry.is_object()) {
    return fail(ErrorCode::kInvalidArgument, "an SMS provider must be an object");
  }
  for (const auto& [key, value] : entry.items()) {
    if (key != "kind" && key != "name" && key != "url" && key != "access_key_id" &&
        key != "access_key_secret" && key != "sign_name" && key != "timeout_ms" &&
        key != "retries") {
      return fail(ErrorCode::kInvalidArgument, "sms provider: unknown key \"" + key + "\"");
    }
  }
  HttpSmsSettings settings;
  for (const auto& [name, out] : std::array<std::pair<const char*, std::string*>, 5>{
           {{"name", &settings.name},
            {"url", &settings.url},
            {"access_key_id", &settings.access_key_id},
            {"access_key_secret", &settings.access_key_secret},
            {"sign_name", &settings.sign_name}}}) {
    const std::string* value = string_field(entry, name);
    if (value == nullptr || value->empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  std::string("sms provider: ") + name + " must be a non-empty string");
    }
    *out = *value;
  }
  if (!settings.url.starts_with("https://") && !settings.url.starts_with("http://")) {
    return fail(ErrorCode::kInvalidArgument, "sms provider: url must be http(s)://...");
  }
  if (entry.contains("timeout_ms")) {
    const auto& value = entry["timeout_ms"];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 100 ||
        value.get<std::int64_t>() > 60'000) {
      return fail(ErrorCode::kInvalidArgument, "sms provider: timeout_ms must be 100..60000");
    }
    settings.timeout = std::chrono::milliseconds(value.get<std::int64_t>());
  }
  if (entry.contains("retries")) {
    const auto& value = entry["retries"];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
        value.get<std::int64_t>() > 3) {
      return fail(ErrorCode::kInvalidArgument, "sms provider: retries must be 0..3");
    }
    settings.retries = value.get<int>();
  }
  return settings;
}

std::optional<SendFailure> sms_result_failure(std::string_view code) {
  if (code == "OK") {
    return std::nullopt;
  }
  for (const std::string_view refused :
       {"INVALID_NUMBER", "BLOCKED_NUMBER", "NUMBER_OPTED_OUT", "CONTENT_REJECTED"}) {
    if (code == refused) {
      return SendFailure::kRefused;
    }
  }
  for (const std::string_view down : {"THROTTLED", "SERVICE_BUSY", "INTERNAL_ERROR", "AUTH_FAILED",
                                      "SIGNATURE_MISMATCH", "BALANCE_EXHAUSTED"}) {
    if (code == down) {
      return SendFailure::kUnavailable;
    }
  }
  return SendFailure::kBadAnswer;
}

std::string sms_request_signature(std::string_view secret, std::string_view path,
                                  std::string_view timestamp, std::string_view nonce,
                                  std::string_view body) {
  const std::string body_digest =
      to_hex(crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes(body)));
  const std::string to_sign =
      fmt::format("POST\n{}\n{}\n{}\n{}", path, timestamp, nonce, body_digest);
  return to_hex(crypto::hmac_sha256(as_bytes(secret), as_bytes(to_sign)));
}

HttpSmsSender::HttpSmsSender(HttpSmsSettings settings, domain::Clock clock)
    : settings_(std::move(settings)),
      clock_(std::move(clock)),
      name_("http:" + settings_.name),
      path_(path_of(settings_.url)) {}

SendResult HttpSmsSender::send(const OutgoingMessage& message) {
  SendResult result = attempt(message);
  for (int retry = 0;
       retry < settings_.retries && !result && result.error().failure == SendFailure::kUnavailable;
       ++retry) {
    result = attempt(message);
  }
  return result;
}

SendResult HttpSmsSender::attempt(const OutgoingMessage& message) {
  auto fault = [this](SendFailure failure, std::string text) -> SendResult {
    return std::unexpected(SendError{failure, name_, std::move(text)});
  };
  if (global_init() != CURLE_OK) {
    return fault(SendFailure::kUnavailable, "cannot initialise libcurl");
  }
  auto nonce_bytes = crypto::random_bytes(16);
  if (!nonce_bytes) {
    return fault(SendFailure::kUnavailable, "no random nonce");
  }
  const std::string nonce = to_hex(*nonce_bytes);
  const std::string timestamp = std::to_string(domain::unix_seconds(clock_()));
  const std::string body =
      nlohmann::json{{"to", message.to}, {"text", message.text}, {"sign_name", settings_.sign_name}}
          .dump();
  const std::string signature =
      sms_request_signature(settings_.access_key_secret, path_, timestamp, nonce, body);

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& line :
       {std::string("Content-Type: application/json"), std::string("Accept: application/json"),
        "X-Sms-Access-Key: " + settings_.access_key_id, "X-Sms-Timestamp: " + timestamp,
        "X-Sms-Nonce: " + nonce, "X-Sms-Signature: " + signature, std::string("Expect:")}) {
    curl_slist* longer = curl_slist_append(headers.get(), line.c_str());
    if (longer == nullptr) {
      return fault(SendFailure::kUnavailable, "cannot build the request headers");
    }
    static_cast<void>(headers.release());
    headers.reset(longer);
  }
  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return fault(SendFailure::kUnavailable, "cannot create a libcurl handle");
  }
  Answer answer;
  const auto timeout_ms = static_cast<long>(settings_.timeout.count());
  for (const CURLcode code : {
           curl_easy_setopt(curl.get(), CURLOPT_URL, settings_.url.c_str()),
           curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https"),
           curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L),
           curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L),
           curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, timeout_ms),
           curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get()),
           curl_easy_setopt(curl.get(), CURLOPT_POST, 1L),
           curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data()),
           curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                            static_cast<curl_off_t>(body.size())),
           curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect),
           curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer),
       }) {
    if (code != CURLE_OK) {
      return fault(SendFailure::kUnavailable,
                   fmt::format("libcurl refused an option: {}", curl_easy_strerror(code)));
    }
  }
  const CURLcode performed = curl_easy_perform(curl.get());
  if (performed == CURLE_OPERATION_TIMEDOUT) {
    return fault(SendFailure::kTimedOut,
                 fmt::format("no answer within {} ms", settings_.timeout.count()));
  }
  if (answer.too_large) {
    return fault(SendFailure::kBadAnswer, "the answer is larger than 64 KiB");
  }
  if (performed != CURLE_OK) {
    return fault(SendFailure::kUnavailable,
                 fmt::format("transfer failed: {}", curl_easy_strerror(performed)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 500) {
    return fault(SendFailure::kUnavailable, fmt::format("HTTP {}", status));
  }
  const auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
  const std::string* code = parsed.is_object() ? string_field(parsed, "code") : nullptr;
  if (code == nullptr) {
    return fault(SendFailure::kBadAnswer,
                 fmt::format("HTTP {} without a JSON result code", status));
  }
  if (const auto failure = sms_result_failure(*code)) {
    return fault(*failure, fmt::format("HTTP {}, provider code {}", status,
                                       code->size() <= 40 ? *code : code->substr(0, 40)));
  }
  const std::string* reference = string_field(parsed, "message_id");
  if (status != 200 || reference == nullptr || reference->empty()) {
    return fault(SendFailure::kBadAnswer,
                 fmt::format("HTTP {} \"OK\" without a message id", status));
  }
  return SendReceipt{name_, *reference};
}

}  // namespace pactum::adapters::sms

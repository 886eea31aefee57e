#include "pactum/api/messaging_providers.h"

#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "pactum/adapters/sms/http_sms_sender.h"
#include "pactum/adapters/sms/sandbox_sms_sender.h"
#include "pactum/adapters/smtp/sandbox_email_sender.h"
#include "pactum/adapters/smtp/smtp_email_sender.h"
#include "pactum/base/atomic_file.h"
#include "pactum/domain/messaging/failover.h"

namespace pactum::api {
namespace {

namespace fs = std::filesystem;
using domain::messaging::EmailSender;
using domain::messaging::SmsSender;

constexpr int kFormat = 1;

// Factory builds one provider of a channel from its entry, or says why it cannot.
template <typename Sender>
using Factory = Result<std::unique_ptr<Sender>> (*)(const nlohmann::json& entry,
                                                    domain::Clock clock);

Result<std::unique_ptr<SmsSender>> make_sms(const nlohmann::json& entry, domain::Clock clock) {
  auto settings = adapters::sms::parse_http_sms_settings(entry);
  if (!settings) {
    return std::unexpected(settings.error());
  }
  return std::make_unique<adapters::sms::HttpSmsSender>(std::move(*settings), std::move(clock));
}

Result<std::unique_ptr<EmailSender>> make_email(const nlohmann::json& entry, domain::Clock clock) {
  auto settings = adapters::smtp::parse_smtp_settings(entry);
  if (!settings) {
    return std::unexpected(settings.error());
  }
  return std::make_unique<adapters::smtp::SmtpEmailSender>(std::move(*settings), std::move(clock));
}

// build_list builds one channel's providers from its list (production mode): each entry's
// "kind" must be `kind` (the channel's one real adapter); "sandbox" is refused.
template <typename Sender>
Result<std::vector<std::unique_ptr<Sender>>> build_list(const nlohmann::json& config,
                                                        std::string_view channel,
                                                        std::string_view kind,
                                                        Factory<Sender> factory,
                                                        const domain::Clock& clock) {
  std::vector<std::unique_ptr<Sender>> providers;
  if (!config.contains(channel)) {
    return providers;
  }
  const nlohmann::json& list = config[std::string(channel)];
  if (!list.is_array()) {
    return fail(ErrorCode::kInvalidArgument, std::string(channel) + ": must be a list");
  }
  for (const nlohmann::json& entry : list) {
    const std::string given =
        entry.is_object() && entry.contains("kind") && entry["kind"].is_string()
            ? entry["kind"].get<std::string>()
            : "";
    if (given == "sandbox") {
      return fail(
          ErrorCode::kInvalidArgument,
          std::string(channel) + ": a sandbox provider is refused in a production configuration");
    }
    if (given != kind) {
      return fail(ErrorCode::kInvalidArgument, std::string(channel) + ": unknown provider kind \"" +
                                                   given + "\" (expected \"" + std::string(kind) +
                                                   "\")");
    }
    auto provider = factory(entry, clock);
    if (!provider) {
      return std::unexpected(provider.error());
    }
    providers.push_back(std::move(*provider));
  }
  return providers;
}

}  // namespace

MessagingProviders::~MessagingProviders() = default;

std::unique_ptr<MessagingProviders> MessagingProviders::sandbox(store::Database& database,
                                                                const domain::PiiCipher& pii,
                                                                domain::Clock clock) {
  std::unique_ptr<MessagingProviders> made(new MessagingProviders());
  made->sms_ = std::make_unique<adapters::sms::SandboxSmsSender>(database, pii, clock);
  made->email_ = std::make_unique<adapters::smtp::SandboxEmailSender>(database, pii, clock);
  made->messaging_ = {made->sms_.get(), made->email_.get(), true};
  return made;
}

Result<std::unique_ptr<MessagingProviders>> MessagingProviders::from_config(
    const nlohmann::json& config, store::Database& database, const domain::PiiCipher& pii,
    domain::Clock clock) {
  if (!config.is_object() || !config.contains("format") || config["format"] != kFormat) {
    return fail(ErrorCode::kInvalidArgument, "not a providers file of format 1");
  }
  for (const auto& [key, value] : config.items()) {
    if (key != "format" && key != "mode" && key != "sms" && key != "email") {
      return fail(ErrorCode::kInvalidArgument, "unknown key \"" + key + "\"");
    }
  }
  const std::string mode = config.contains("mode") && config["mode"].is_string()
                               ? config["mode"].get<std::string>()
                               : "";
  if (mode == "sandbox") {
    if (config.contains("sms") || config.contains("email")) {
      return fail(ErrorCode::kInvalidArgument,
                  "sandbox mode takes no provider lists (nothing leaves the machine)");
    }
    return sandbox(database, pii, std::move(clock));
  }
  if (mode != "production") {
    return fail(ErrorCode::kInvalidArgument, "mode: must be \"sandbox\" or \"production\"");
  }
  auto sms = build_list<SmsSender>(config, "sms", "http", make_sms, clock);
  if (!sms) {
    return std::unexpected(sms.error());
  }
  auto email = build_list<EmailSender>(config, "email", "smtp", make_email, clock);
  if (!email) {
    return std::unexpected(email.error());
  }
  std::unique_ptr<MessagingProviders> made(new MessagingProviders());
  if (!sms->empty()) {
    made->sms_ = std::make_unique<domain::messaging::FailoverSmsSender>(std::move(*sms));
  }
  if (!email->empty()) {
    made->email_ = std::make_unique<domain::messaging::FailoverEmailSender>(std::move(*email));
  }
  made->messaging_ = {made->sms_.get(), made->email_.get(), false};
  return made;
}

Result<std::unique_ptr<MessagingProviders>> MessagingProviders::open(const std::string& dir,
                                                                     store::Database& database,
                                                                     const domain::PiiCipher& pii,
                                                                     domain::Clock clock) {
  const std::string path = (fs::path(dir) / kProvidersFile).string();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return from_config({{"format", kFormat}, {"mode", "production"}}, database, pii,
                       std::move(clock));
  }
  auto text = read_file(path);
  if (!text) {
    return std::unexpected(text.error());
  }
  const auto config = nlohmann::json::parse(as_chars(*text), nullptr, false);
  if (config.is_discarded()) {
    return fail(ErrorCode::kMalformed, path + " is not JSON");
  }
  auto made = from_config(config, database, pii, std::move(clock));
  if (!made) {
    return fail(made.error().code, path + ": " + made.error().message);
  }
  return made;
}

Status write_sandbox_providers(const std::string& dir) {
  const nlohmann::json config = {{"format", kFormat}, {"mode", "sandbox"}};
  return write_file_atomically((fs::path(dir) / kProvidersFile).string(),
                               as_bytes(config.dump(2) + "\n"), 0600);
}

}  // namespace pactum::api

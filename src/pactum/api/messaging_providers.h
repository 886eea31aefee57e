#pragma once

// Which SMS and e-mail providers a node runs, from DATA_DIR/providers.json (mode 0600; `pactum
// init --demo` writes the sandbox one). Moves into node/ with the composition root.
//
//   {"format":1, "mode":"sandbox"}     both channels go to the sandbox outbox; nothing leaves
//                                      the machine; GET /api/v1/sandbox/outbox is routed
//   {"format":1, "mode":"production", "sms":[...], "email":[...]}
//                                      real providers, each list tried in order with fail-over
//                                      (adapters/sms, adapters/smtp document their settings);
//                                      a {"kind":"sandbox"} entry is refused here
// No file: production mode with no providers (sending answers 503).

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pactum/base/error.h"
#include "pactum/domain/clock.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::api {

inline constexpr std::string_view kProvidersFile = "providers.json";

// MessagingProviders owns a node's senders and exposes them as domain::messaging::Messaging.
class MessagingProviders {
 public:
  // from_config builds the senders config describes (the parsed providers.json). The sandbox
  // senders write the outbox in database, sealed with pii, timed by clock (all must outlive the
  // result). kInvalidArgument naming the problem: not an object, a wrong format or mode, an
  // unknown provider kind or key, a sandbox provider in production mode, bad settings.
  static Result<std::unique_ptr<MessagingProviders>> from_config(const nlohmann::json& config,
                                                                 store::Database& database,
                                                                 const domain::PiiCipher& pii,
                                                                 domain::Clock clock);

  // sandbox builds the sandbox configuration directly (tests, and from_config's sandbox mode).
  static std::unique_ptr<MessagingProviders> sandbox(store::Database& database,
                                                     const domain::PiiCipher& pii,
                                                     domain::Clock clock);

  // open reads DIR/providers.json (absent: production with no providers) and calls from_config;
  // kMalformed if the file is not JSON, from_config's errors otherwise (prefixed with the path).
  static Result<std::unique_ptr<MessagingProviders>> open(const std::string& dir,
                                                          store::Database& database,
                                                          const domain::PiiCipher& pii,
                                                          domain::Clock clock);

  MessagingProviders(const MessagingProviders&) = delete;
  MessagingProviders& operator=(const MessagingProviders&) = delete;
  ~MessagingProviders();

  [[nodiscard]] const domain::messaging::Messaging& messaging() const { return messaging_; }

 private:
  MessagingProviders() = default;

  std::unique_ptr<domain::messaging::SmsSender> sms_;
  std::unique_ptr<domain::messaging::EmailSender> email_;
  domain::messaging::Messaging messaging_;
};

// write_sandbox_providers writes DIR/providers.json in sandbox mode (0600); kIo on failure.
Status write_sandbox_providers(const std::string& dir);

}  // namespace pactum::api

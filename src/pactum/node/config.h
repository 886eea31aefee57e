#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pactum/base/error.h"
#include "pactum/http/app_log.h"
#include "pactum/http/listen_address.h"
#include "pactum/http/server.h"

namespace pactum::node {

// Config is a node's (pactumd's) configuration once merged and validated. The defaults are what
// a bare `pactumd --data DIR` runs with. The transport's part of it becomes http::ServerOptions
// (server_options); the rest is the node's.
struct Config {
  std::filesystem::path data_dir;  // required
  http::ListenAddress listen{"127.0.0.1", 8080};
  unsigned threads = 0;                                   // 0: one per hardware thread
  std::optional<http::TlsFiles> tls;                      // absent: plain HTTP
  std::size_t header_limit = std::size_t{8} * 1024;       // bytes
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;  // bytes
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{5'000};
  http::LogLevel log_level = http::LogLevel::kInfo;
  bool access_log = true;  // one JSON line per request
  // Override what `pactum init` recorded in the data directory's config file: the database
  // ("sqlite:PATH", relative to the data directory, or "postgresql://...") and the public base
  // URL (written into certificates' CDP/AIA and links).
  std::optional<std::string> database_url;
  std::optional<std::string> base_url;
  // metrics_token: GET /metrics wants "Authorization: Bearer <token>"; without one, /metrics
  // answers only loopback peers.
  std::optional<std::string> metrics_token;

  // server_options is the transport's part: listen address, threads, TLS, limits, timeouts
  // (no stop signals: the program adds its own).
  [[nodiscard]] http::ServerOptions server_options() const;
};

// ConfigSources are the three layers merged over the defaults, weakest first: a JSON file, the
// environment (PACTUM_* variables), and the command line. Each is optional.
struct ConfigSources {
  std::optional<std::filesystem::path> file;  // --config FILE, or PACTUM_CONFIG
  // env returns the value of an environment variable, or nullopt; injected so tests do not
  // touch the process environment.
  std::function<std::optional<std::string>(std::string_view name)> env;
  // Command-line values, already split by the program's option parser.
  std::optional<std::string> data_dir;
  std::optional<std::string> listen;
  std::optional<unsigned> threads;
  std::optional<std::string> database_url;
  std::optional<std::string> base_url;
};

// process_env reads the real environment (for pactumd's main).
std::optional<std::string> process_env(std::string_view name);

// load_config merges defaults < file < environment < command line and validates the result.
// Fails with kInvalidArgument naming every problem found (file unreadable or not a JSON object,
// an unknown key, a wrong type, a value out of range, TLS with only one of cert and key or files
// that cannot be read, a bad log level or listen address, no data directory, a database URL that
// is neither sqlite:PATH nor postgresql://..., a base URL that is not http(s)://HOST[:PORT][/PATH],
// a metrics token shorter than 16 characters or with characters outside printable ASCII).
Result<Config> load_config(const ConfigSources& sources);

// config_summary returns the configuration as JSON for the start-up log line. Nothing in it is
// secret: TLS keys are paths, a database URL's password is masked, the metrics token is only
// said to be set.
nlohmann::ordered_json config_summary(const Config& config);

// mask_url_password returns url with the password of its user-info ("user:secret@") replaced
// by "***", for logs.
std::string mask_url_password(std::string_view url);

}  // namespace pactum::node

#include "pactum/node/config.h"

#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pactum::node {

using http::ListenAddress;
using http::log_level_name;
using http::LogLevel;
using http::parse_listen_address;
using http::parse_log_level;
using http::TlsFiles;

namespace {

enum class Type : std::uint8_t { kString, kUnsigned, kBool };

// Field is one configuration key: its dotted name in the file ("limits.body_bytes"), its
// environment variable, its type and, for numbers, its allowed range.
struct Field {
  std::string_view key;
  std::string_view env;
  Type type;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
};

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30U;

// kFields is every key pactumd understands; README.md documents the same list.
constexpr std::array<Field, 14> kFields{{
    {"listen", "PACTUM_LISTEN", Type::kString},
    {"data_dir", "PACTUM_DATA_DIR", Type::kString},
    {"threads", "PACTUM_THREADS", Type::kUnsigned, 0, 256},
    {"tls.cert", "PACTUM_TLS_CERT", Type::kString},
    {"tls.key", "PACTUM_TLS_KEY", Type::kString},
    {"limits.header_bytes", "PACTUM_HEADER_LIMIT_BYTES", Type::kUnsigned, 1024, 1024 * 1024},
    {"limits.body_bytes", "PACTUM_BODY_LIMIT_BYTES", Type::kUnsigned, 1, kGiB},
    {"timeouts.read_ms", "PACTUM_READ_TIMEOUT_MS", Type::kUnsigned, 1, 3'600'000},
    {"timeouts.shutdown_grace_ms", "PACTUM_SHUTDOWN_GRACE_MS", Type::kUnsigned, 0, 600'000},
    {"log_level", "PACTUM_LOG_LEVEL", Type::kString},
    {"access_log", "PACTUM_ACCESS_LOG", Type::kBool},
    {"database_url", "PACTUM_DATABASE_URL", Type::kString},
    {"base_url", "PACTUM_BASE_URL", Type::kString},
    {"metrics_token", "PACTUM_METRICS_TOKEN", Type::kString},
}};

using Value = std::variant<std::string, std::uint64_t, bool>;
using Values = std::map<std::string_view, Value>;

const Field* find_field(std::string_view key) {
  for (const Field& field : kFields) {
    if (field.key == key) {
      return &field;
    }
  }
  return nullptr;
}

bool is_section(std::string_view name) {
  for (const Field& field : kFields) {
    if (field.key.starts_with(name) && field.key.size() > name.size() &&
        field.key[name.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::string_view type_name(Type type) {
  switch (type) {
    case Type::kString:
      return "a string";
    case Type::kUnsigned:
      return "a non-negative integer";
    case Type::kBool:
      return "true or false";
  }
  return "?";
}

// check_range appends a problem if a number is outside its field's range.
bool in_range(const Field& field, std::uint64_t value, std::string_view origin,
              std::vector<std::string>& problems) {
  if (field.type == Type::kUnsigned && (value < field.min || value > field.max)) {
    problems.push_back(fmt::format("{}: {} must be between {} and {}, got {}", origin, field.key,
                                   field.min, field.max, value));
    return false;
  }
  return true;
}

// read_file_values flattens the JSON file into dotted keys, refusing unknown keys and wrong
// types.
void read_file_values(const std::filesystem::path& path, Values& values,
                      std::vector<std::string>& problems) {
  const std::string origin = fmt::format("config file {}", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(fmt::format("{}: cannot be read", origin));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    problems.push_back(fmt::format("{}: is not a JSON object", origin));
    return;
  }
  const auto take = [&](const std::string& key, const nlohmann::json& value) {
    const Field* field = find_field(key);
    if (field == nullptr) {
      problems.push_back(fmt::format("{}: unknown key \"{}\"", origin, key));
      return;
    }
    if (field->type == Type::kString && value.is_string()) {
      values[field->key] = value.get<std::string>();
    } else if (field->type == Type::kUnsigned && value.is_number_unsigned()) {
      const auto number = value.get<std::uint64_t>();
      if (in_range(*field, number, origin, problems)) {
        values[field->key] = number;
      }
    } else if (field->type == Type::kBool && value.is_boolean()) {
      values[field->key] = value.get<bool>();
    } else {
      problems.push_back(fmt::format("{}: \"{}\" must be {}", origin, key, type_name(field->type)));
    }
  };
  for (const auto& [name, value] : document.items()) {
    if (is_section(name)) {
      if (!value.is_object()) {
        problems.push_back(fmt::format("{}: \"{}\" must be an object", origin, name));
        continue;
      }
      for (const auto& [inner, inner_value] : value.items()) {
        take(name + "." + inner, inner_value);
      }
    } else {
      take(name, value);
    }
  }
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty() || text.size() > 19) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<std::uint64_t>(digit - '0');
  }
  return value;
}

void read_env_values(const ConfigSources& sources, Values& values,
                     std::vector<std::string>& problems) {
  if (!sources.env) {
    return;
  }
  for (const Field& field : kFields) {
    const std::optional<std::string> text = sources.env(field.env);
    if (!text) {
      continue;
    }
    const std::string origin = fmt::format("environment {}", field.env);
    switch (field.type) {
      case Type::kString:
        values[field.key] = *text;
        break;
      case Type::kUnsigned:
        if (const auto number = parse_unsigned(*text)) {
          if (in_range(field, *number, origin, problems)) {
            values[field.key] = *number;
          }
        } else {
          problems.push_back(
              fmt::format("{}: must be a non-negative integer, got \"{}\"", origin, *text));
        }
        break;
      case Type::kBool:
        if (*text == "true" || *text == "1") {
          values[field.key] = true;
        } else if (*text == "false" || *text == "0") {
          values[field.key] = false;
        } else {
          problems.push_back(
              fmt::format("{}: must be true, false, 1 or 0, got \"{}\"", origin, *text));
        }
        break;
    }
  }
}

bool readable(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return static_cast<bool>(in);
}

// database_url_problem says what is wrong with a database URL, or "" if nothing.
std::string database_url_problem(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    return url.size() > 7 ? "" : "sqlite: needs a path (sqlite:pactum.db, relative to data_dir)";
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return "";
  }
  return "must be sqlite:PATH or postgresql://USER@HOST:PORT/DB";
}

bool is_url_character(char c) {
  // RFC 3986 unreserved, sub-delims, ':', '/', '@', '%', '[', ']'; no spaces, quotes or controls.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*+,;=:/@%[]").find(c) != std::string_view::npos;
}

// base_url_problem says what is wrong with a public base URL, or "" if nothing.
std::string base_url_problem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return "must start with http:// or https://";
  }
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.empty() || authority.starts_with(':')) {
    return "has no host";
  }
  if (authority.find('@') != std::string_view::npos) {
    return "must not carry user information";
  }
  for (const char c : url) {
    if (c == '?' || c == '#') {
      return "must not have a query or fragment";
    }
    if (!is_url_character(c)) {
      return "has a character that is not allowed in a URL";
    }
  }
  return "";
}

constexpr std::size_t kMinMetricsToken = 16;

std::string metrics_token_problem(std::string_view token) {
  if (token.size() < kMinMetricsToken) {
    return fmt::format("must be at least {} characters", kMinMetricsToken);
  }
  for (const char c : token) {
    if (c <= ' ' || c > '~') {
      return "must be printable ASCII without spaces";
    }
  }
  return "";
}

template <typename T>
const T* get(const Values& values, std::string_view key) {
  const auto found = values.find(key);
  return found == values.end() ? nullptr : std::get_if<T>(&found->second);
}

}  // namespace

http::ServerOptions Config::server_options() const {
  http::ServerOptions options;
  options.listen = listen;
  options.threads = threads;
  options.header_limit = header_limit;
  options.body_limit = body_limit;
  options.read_timeout = read_timeout;
  options.shutdown_grace = shutdown_grace;
  options.tls = tls;
  return options;
}

std::optional<std::string> process_env(std::string_view name) {
  // getenv is not thread-safe against setenv; pactumd reads its environment once, at start.
  const char* value = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

Result<Config> load_config(const ConfigSources& sources) {
  std::vector<std::string> problems;
  Values values;

  std::optional<std::filesystem::path> file = sources.file;
  if (!file && sources.env) {
    if (const auto from_env = sources.env("PACTUM_CONFIG")) {
      file = std::filesystem::path(*from_env);
    }
  }
  if (file) {
    read_file_values(*file, values, problems);
  }
  read_env_values(sources, values, problems);
  if (sources.data_dir) {
    values["data_dir"] = *sources.data_dir;
  }
  if (sources.listen) {
    values["listen"] = *sources.listen;
  }
  if (sources.threads) {
    if (in_range(*find_field("threads"), *sources.threads, "--threads", problems)) {
      values["threads"] = std::uint64_t{*sources.threads};
    }
  }
  if (sources.database_url) {
    values["database_url"] = *sources.database_url;
  }
  if (sources.base_url) {
    values["base_url"] = *sources.base_url;
  }

  Config config;
  if (const auto* data_dir = get<std::string>(values, "data_dir"); data_dir && !data_dir->empty()) {
    config.data_dir = *data_dir;
  } else {
    problems.emplace_back(
        "no data directory: give --data DIR, PACTUM_DATA_DIR or \"data_dir\" in the config file");
  }
  if (const auto* listen = get<std::string>(values, "listen")) {
    if (const auto address = parse_listen_address(*listen)) {
      config.listen = *address;
    } else {
      problems.push_back(
          fmt::format("listen wants HOST:PORT (or [IPv6]:PORT), got \"{}\"", *listen));
    }
  }
  if (const auto* threads = get<std::uint64_t>(values, "threads")) {
    config.threads = static_cast<unsigned>(*threads);
  }
  const auto* cert = get<std::string>(values, "tls.cert");
  const auto* key = get<std::string>(values, "tls.key");
  if ((cert != nullptr) != (key != nullptr)) {
    problems.emplace_back("TLS needs both tls.cert and tls.key (or neither, for plain HTTP)");
  } else if (cert != nullptr) {
    config.tls = TlsFiles{*cert, *key};
    if (!readable(*cert)) {
      problems.push_back(fmt::format("tls.cert {} cannot be read", *cert));
    }
    if (!readable(*key)) {
      problems.push_back(fmt::format("tls.key {} cannot be read", *key));
    }
  }
  if (const auto* header = get<std::uint64_t>(values, "limits.header_bytes")) {
    config.header_limit = static_cast<std::size_t>(*header);
  }
  if (const auto* body = get<std::uint64_t>(values, "limits.body_bytes")) {
    config.body_limit = *body;
  }
  if (const auto* read = get<std::uint64_t>(values, "timeouts.read_ms")) {
    config.read_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(*read));
  }
  if (const auto* grace = get<std::uint64_t>(values, "timeouts.shutdown_grace_ms")) {
    config.shutdown_grace = std::chrono::milliseconds(static_cast<std::int64_t>(*grace));
  }
  if (const auto* level = get<std::string>(values, "log_level")) {
    if (const auto parsed = parse_log_level(*level)) {
      config.log_level = *parsed;
    } else {
      problems.push_back(
          fmt::format("log_level must be debug, info, warn or error, got \"{}\"", *level));
    }
  }
  if (const auto* access = get<bool>(values, "access_log")) {
    config.access_log = *access;
  }
  if (const auto* database = get<std::string>(values, "database_url")) {
    if (const std::string problem = database_url_problem(*database); !problem.empty()) {
      problems.push_back(
          fmt::format("database_url {} (got \"{}\")", problem, mask_url_password(*database)));
    } else {
      config.database_url = *database;
    }
  }
  if (const auto* base = get<std::string>(values, "base_url")) {
    if (const std::string problem = base_url_problem(*base); !problem.empty()) {
      problems.push_back(fmt::format("base_url {} (got \"{}\")", problem, *base));
    } else {
      config.base_url = *base;
    }
  }
  if (const auto* token = get<std::string>(values, "metrics_token")) {
    // The token itself is never echoed: it is a secret.
    if (const std::string problem = metrics_token_problem(*token); !problem.empty()) {
      problems.push_back(fmt::format("metrics_token {}", problem));
    } else {
      config.metrics_token = *token;
    }
  }

  if (!problems.empty()) {
    std::string message = "invalid configuration:";
    for (const std::string& problem : problems) {
      message += "\n  ";
      message += problem;
    }
    return fail(ErrorCode::kInvalidArgument, std::move(message));
  }
  return config;
}

nlohmann::ordered_json config_summary(const Config& config) {
  nlohmann::ordered_json summary = {
      {"data_dir", config.data_dir.string()},
      {"listen", fmt::format("{}:{}", config.listen.host, config.listen.port)},
      {"threads", config.threads},
      {"tls", config.tls.has_value()},
      {"header_limit_bytes", config.header_limit},
      {"body_limit_bytes", config.body_limit},
      {"read_timeout_ms", config.read_timeout.count()},
      {"shutdown_grace_ms", config.shutdown_grace.count()},
      {"log_level", log_level_name(config.log_level)},
      {"access_log", config.access_log},
  };
  if (config.tls) {
    summary["tls_cert"] = config.tls->cert.string();
  }
  if (config.database_url) {
    summary["database_url"] = mask_url_password(*config.database_url);
  }
  if (config.base_url) {
    summary["base_url"] = *config.base_url;
  }
  summary["metrics_token"] = config.metrics_token.has_value();
  return summary;
}

std::string mask_url_password(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return std::string(url);
  }
  const std::size_t start = scheme + 3;
  const std::size_t end = url.find_first_of("/?#", start);
  const std::string_view authority =
      url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return std::string(url);
  }
  const std::size_t colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) {
    return std::string(url);
  }
  std::string out(url.substr(0, start + colon + 1));
  out += "***";
  out += url.substr(start + at);
  return out;
}

}  // namespace pactum::node

#include "pactum/http/app_log.h"

#include <cstdio>
#include <utility>

#include "pactum/http/access_log.h"

namespace pactum::http {

LineSink stderr_sink() {
  return [](std::string_view line) { std::fwrite(line.data(), 1, line.size(), stderr); };
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (const LogLevel level :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (log_level_name(level) == text) {
      return level;
    }
  }
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

AppLog::AppLog(LogLevel level, LineSink sink, Clock clock)
    : level_(level), sink_(std::move(sink)), clock_(std::move(clock)) {}

void AppLog::log(LogLevel level, std::string_view event,
                 const nlohmann::ordered_json& fields) const {
  if (!enabled(level)) {
    return;
  }
  nlohmann::ordered_json line = {
      {"time", format_utc_time(clock_())}, {"level", log_level_name(level)}, {"event", event}};
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      line[key] = value;
    }
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  sink_(text);
}

void AppLog::write_line(std::string_view line) const {
  std::string text(line);
  text += '\n';
  sink_(text);
}

}  // namespace pactum::http

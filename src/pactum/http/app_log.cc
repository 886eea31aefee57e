#include "pactum/http/app_log.h"

#include <cstdio>
#include <utility>

#include "pactum/http/access_log.h"

namespace pactum::http {

LineSink stderr_sink() {
  return [](std::string_view line) { std::fwrite(line.data(), 1, line.size(), stderr); };
}

AppLog::AppLog(LogLevel level, LineSink sink, Clock clock)
    : level_(level), sink_(std::move(sink)), clock_(std::move(clock)) {}

void AppLog::log(LogLevel level, std::string_view event,
                 const nlohmann::ordered_json& fields) const {
  if (!enabled(level)) {
    return;
  }
  nlohmann::ordered_json line = {{"time", format_utc_time(clock_())},
                                 {"level", log_level_name(level)},
                                 {"event", event}};
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

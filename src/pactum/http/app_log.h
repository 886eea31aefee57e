#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/base/clock.h"

namespace pactum::http {

// LogLevel orders the application log's levels; lines below the configured one are dropped.
enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarn, kError };

// parse_log_level reads "debug", "info", "warn" or "error".
std::optional<LogLevel> parse_log_level(std::string_view text);

// log_level_name is the inverse of parse_log_level.
std::string_view log_level_name(LogLevel level);

// LineSink receives one complete log line, newline included. It is called from many threads at
// once and must write each line whole and not throw.
using LineSink = std::function<void(std::string_view line)>;

// stderr_sink writes each line to stderr with a single fwrite, which stdio serialises per call,
// so concurrent lines never interleave.
LineSink stderr_sink();

// AppLog is the application log: JSON lines {"time","level","event", ...fields} for start,
// stop, configuration and failures, next to the access log in the same stream. Lines below the
// configured level are dropped before anything is formatted. Fields must not carry secrets.
class AppLog {
 public:
  // AppLog writes lines at or above `level` to `sink`, stamped with `clock` (injected for tests).
  AppLog(LogLevel level, LineSink sink, Clock clock = system_clock_now);

  // log writes one line if `level` is enabled. `fields` must be an object; its keys follow the
  // fixed ones in order.
  void log(LogLevel level, std::string_view event,
           const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const;

  void debug(std::string_view event,
             const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const {
    log(LogLevel::kDebug, event, fields);
  }
  void info(std::string_view event,
            const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const {
    log(LogLevel::kInfo, event, fields);
  }
  void warn(std::string_view event,
            const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const {
    log(LogLevel::kWarn, event, fields);
  }
  void error(std::string_view event,
             const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) const {
    log(LogLevel::kError, event, fields);
  }

  // enabled returns true if lines of `level` are written.
  [[nodiscard]] bool enabled(LogLevel level) const { return level >= level_; }

  // write_line passes an already formatted line (the access log's) to the sink, adding the
  // newline.
  void write_line(std::string_view line) const;

  // now returns the log's clock reading.
  [[nodiscard]] std::chrono::system_clock::time_point now() const { return clock_(); }

 private:
  LogLevel level_;
  LineSink sink_;
  Clock clock_;
};

}  // namespace pactum::http

#include "pactum/http/access_log.h"

#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pactum::http {

std::string format_utc_time(std::chrono::system_clock::time_point time) {
  using std::chrono::duration_cast;
  using std::chrono::floor;
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto micros = duration_cast<std::chrono::microseconds>(time - seconds).count();
  const std::time_t unix_seconds = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&unix_seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
}

std::string format_access_log_line(const AccessRecord& record,
                                   std::chrono::system_clock::time_point time) {
  // An ordered_json keeps the fields in the documented order, which is easier to read by eye.
  nlohmann::ordered_json line = {{"time", format_utc_time(time)},
                                 {"request_id", record.request_id}};
  if (!record.client.empty()) {
    line["client"] = record.client;
  }
  if (!record.actor.empty()) {
    line["actor"] = record.actor;
  }
  line["method"] = record.method;
  line["target"] = record.target;
  line["status"] = record.status;
  line["duration_us"] = record.duration.count();
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace pactum::http

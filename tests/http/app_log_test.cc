#include "pactum/http/app_log.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pactum::http {
namespace {

TEST(AppLogTest, JsonLinesAtOrAboveTheLevel) {
  std::vector<std::string> lines;
  const AppLog log(LogLevel::kInfo, [&lines](std::string_view line) { lines.emplace_back(line); },
                   [] {
                     return std::chrono::system_clock::time_point{
                         std::chrono::seconds{1714564800}};
                   });
  log.debug("noise");
  log.info("start", {{"url", "http://x"}, {"threads", 2}});
  log.error("fatal", {{"message", "bad \"thing\"\n\xff"}});
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines.at(0),
            R"({"time":"2024-05-01T12:00:00.000000Z","level":"info","event":"start",)"
            R"("url":"http://x","threads":2})"
            "\n");
  const std::string& last = lines.at(1);
  ASSERT_TRUE(last.ends_with('\n'));
  EXPECT_EQ(last.find('\n'), last.size() - 1);  // one line, whatever the message holds
  const auto parsed = nlohmann::json::parse(last);
  EXPECT_EQ(parsed["level"], "error");
  EXPECT_EQ(parsed["event"], "fatal");
  EXPECT_FALSE(log.enabled(LogLevel::kDebug));
  EXPECT_TRUE(log.enabled(LogLevel::kWarn));
}

TEST(AppLogTest, LevelNamesRoundTrip) {
  for (const LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                               LogLevel::kError}) {
    EXPECT_EQ(parse_log_level(log_level_name(level)), level);
  }
  EXPECT_EQ(parse_log_level("INFO"), std::nullopt);
}

}  // namespace
}  // namespace pactum::http

#include "pactum/http/access_log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pactum::http {
namespace {

// 2024-05-01T12:00:00Z plus 123456 microseconds.
std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point{std::chrono::seconds{1714564800}} +
         std::chrono::microseconds{123456};
}

TEST(AccessLogTest, FormatsOneJsonLineInOrder) {
  const AccessRecord record{.request_id = "abc",
                            .client = "",
                            .actor = "",
                            .method = "GET",
                            .target = "/healthz",
                            .status = 200,
                            .duration = std::chrono::microseconds{42}};
  EXPECT_EQ(format_access_log_line(record, fixed_time()),
            R"({"time":"2024-05-01T12:00:00.123456Z","request_id":"abc","method":"GET",)"
            R"("target":"/healthz","status":200,"duration_us":42})");
}

TEST(AccessLogTest, ClientTextCannotBreakTheLine) {
  const AccessRecord record{.request_id = "abc",
                            .client = "",
                            .actor = "",
                            .method = "GET",
                            .target = "/a\"b\n{\"forged\":1}\xff",
                            .status = 404,
                            .duration = {}};
  const std::string line = format_access_log_line(record, fixed_time());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed.size(), 6U);
  EXPECT_EQ(parsed["status"], 404);
}

TEST(AccessLogTest, ClientAndActorWhenKnown) {
  const AccessRecord record{.request_id = "abc",
                            .client = "::1",
                            .actor = "user:42",
                            .method = "POST",
                            .target = "/x",
                            .status = 201,
                            .duration = std::chrono::microseconds{7}};
  EXPECT_EQ(format_access_log_line(record, fixed_time()),
            R"({"time":"2024-05-01T12:00:00.123456Z","request_id":"abc","client":"::1",)"
            R"("actor":"user:42","method":"POST","target":"/x","status":201,"duration_us":7})");
}

}  // namespace
}  // namespace pactum::http

#pragma once

#include <chrono>
#include <string>

namespace pactum::http {

// AccessRecord describes one answered request, for the access log.
struct AccessRecord {
  std::string request_id;
  std::string client;  // the peer's IP address; "" when unknown
  std::string actor;   // who the request was authenticated as ("user:42"); "" when anonymous
  std::string method;  // "-" when the bytes never became a request
  std::string target;  // as sent by the client, bounded by the header limit
  unsigned status = 0;
  std::chrono::microseconds duration{0};  // from the request fully read to the response written
};

// format_access_log_line returns `record` as one JSON object on one line (no trailing newline):
//   {"time":"2024-05-01T12:00:00.123456Z","request_id":...,"client":"127.0.0.1","actor":"user:42",
//    "method":...,"target":...,"status":200,"duration_us":42}
// `client` and `actor` are left out when empty.
// `time` is when the record was written, passed in so tests can fix it. Client-supplied text is
// escaped, and invalid UTF-8 is replaced, so a request cannot forge or break a log line.
std::string format_access_log_line(const AccessRecord& record,
                                   std::chrono::system_clock::time_point time);

// format_utc_time returns `time` as RFC 3339 UTC with microseconds: "2024-05-01T12:00:00.123456Z".
std::string format_utc_time(std::chrono::system_clock::time_point time);

}  // namespace pactum::http

#include "pactum/http/http_metrics.h"

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "pactum/http/health.h"

namespace pactum::http {
namespace {

namespace beast_http = boost::beast::http;
using namespace std::chrono_literals;

// parse_exposition checks every line against the text format's grammar (comments, then
// `name{label="value",...} number`) and returns each sample keyed by its name and labels as
// written. A line that does not fit fails the test.
std::map<std::string, double> parse_exposition(const std::string& text) {
  static const std::regex kComment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")"
      R"((,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})?) ([-+]?([0-9.e+-]+|Inf)))");
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (std::regex_match(line, kComment)) {
      continue;
    }
    if (!std::regex_match(line, match, kSample)) {
      ADD_FAILURE() << "not exposition format: " << line;
      continue;
    }
    samples[match[1].str()] = std::stod(match[6].str());
  }
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  return samples;
}

TEST(HttpMetricsTest, RecordsByRoutePatternMethodAndStatus) {
  metrics::Registry registry;
  Router router;
  add_health_routes(router);
  router.add(beast_http::verb::get, "/c/{id}", [](const Request&, const RequestContext&) {
    return json_response(Status::ok, "{}");
  });
  add_metrics_route(router, registry);
  HttpMetrics metrics(registry, router);

  metrics.started();
  metrics.finished(beast_http::verb::get, "/c/{id}", 200, 2ms);
  metrics.started();
  metrics.finished(beast_http::verb::get, "/c/{id}", 200, 30ms);
  metrics.started();
  metrics.finished(beast_http::verb::get, "/c/{id}", 404, 1ms);
  metrics.started();
  metrics.finished(beast_http::verb::post, "", 404, 1ms);
  metrics.started();
  metrics.finished(beast_http::verb::unknown, kUnroutedRoute, 431, 1ms);
  metrics.started();  // one still in flight
  metrics.server_error("handler");
  metrics.server_error("connection");

  const std::string text = registry.render();
  const auto samples = parse_exposition(text);
  const auto at = [&](const std::string& key) {
    const auto found = samples.find(key);
    EXPECT_NE(found, samples.end()) << key << "\n" << text;
    return found == samples.end() ? -1.0 : found->second;
  };
  EXPECT_EQ(at(R"(pactum_http_requests_total{method="GET",route="/c/{id}",status="200"})"), 2);
  EXPECT_EQ(at(R"(pactum_http_requests_total{method="GET",route="/c/{id}",status="404"})"), 1);
  EXPECT_EQ(at(R"(pactum_http_requests_total{method="POST",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(at(R"(pactum_http_requests_total{method="other",route="unrouted",status="431"})"), 1);
  EXPECT_EQ(at(R"(pactum_http_request_duration_seconds_count{method="GET",route="/c/{id}"})"), 3);
  EXPECT_EQ(
      at(R"(pactum_http_request_duration_seconds_bucket{method="GET",route="/c/{id}",le="0.0025"})"),
      2);
  EXPECT_EQ(
      at(R"(pactum_http_request_duration_seconds_bucket{method="GET",route="/c/{id}",le="+Inf"})"),
      3);
  EXPECT_NEAR(at(R"(pactum_http_request_duration_seconds_sum{method="GET",route="/c/{id}"})"),
              0.033, 1e-9);
  EXPECT_EQ(at("pactum_http_requests_in_flight"), 1);
  EXPECT_EQ(at(R"(pactum_http_server_errors_total{kind="handler"})"), 1);
  EXPECT_EQ(at(R"(pactum_http_server_errors_total{kind="connection"})"), 1);
  // Raw paths never become labels: only patterns and the two fixed names do.
  EXPECT_EQ(text.find("route=\"/c/7\""), std::string::npos);
}

TEST(HttpMetricsTest, MetricsRouteServesTheRegistry) {
  metrics::Registry registry;
  registry.counter("pactum_signatures_total", "Signatures made.").increment(5);
  Router router;
  add_metrics_route(router, registry);
  RequestContext loopback;
  loopback.client_address = "127.0.0.1";
  const Response response = router.handle(Request{beast_http::verb::get, "/metrics", 11}, loopback);
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[beast_http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(parse_exposition(response.body()).at("pactum_signatures_total"), 5);
}

// scrape asks router for /metrics as a client at address, with an Authorization header if given.
Response scrape(const Router& router, const std::string& address,
                const std::string& authorization = "") {
  Request request{beast_http::verb::get, "/metrics", 11};
  if (!authorization.empty()) {
    request.set(beast_http::field::authorization, authorization);
  }
  RequestContext context;
  context.client_address = address;
  return router.handle(request, context);
}

std::string error_code_of(const Response& response) {
  const auto kind = error_kind_of(response);
  return kind ? std::string(error_info(*kind).code) : "";
}

TEST(HttpMetricsTest, WithoutATokenOnlyLoopbackPeersAreAnswered) {
  metrics::Registry registry;
  Router router;
  add_metrics_route(router, registry);
  for (const char* address : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1",
                              "::FFFF:127.0.0.1"}) {
    EXPECT_EQ(scrape(router, address).result(), Status::ok) << address;
  }
  for (const char* address : {"192.0.2.7", "10.0.0.1", "::ffff:192.0.2.7", "fe80::1", "::",
                              "0.0.0.0", "", "128.0.0.1", "127.0.0.1.example"}) {
    const Response refused = scrape(router, address);
    EXPECT_EQ(refused.result(), Status::forbidden) << address;
    EXPECT_EQ(error_code_of(refused), "forbidden") << address;
    EXPECT_EQ(refused.body().find("pactum_"), std::string::npos);
  }
}

TEST(HttpMetricsTest, WithATokenABearerHeaderIsNeededFromAnywhere) {
  metrics::Registry registry;
  Router router;
  add_metrics_route(router, registry, {.token = "s3cret-metrics-token"});
  const Response missing = scrape(router, "127.0.0.1");
  EXPECT_EQ(missing.result(), Status::unauthorized) << "loopback is no exemption with a token";
  EXPECT_EQ(error_code_of(missing), "unauthorized");
  EXPECT_EQ(missing[beast_http::field::www_authenticate], R"(Bearer realm="metrics")");
  EXPECT_EQ(scrape(router, "192.0.2.7", "Basic czNjcmV0").result(), Status::unauthorized);
  for (const char* wrong : {"Bearer s3cret-metrics-tokeN", "Bearer s3cret-metrics-token2",
                            "Bearer s3cret", "Bearer  s3cret-metrics-token"}) {
    const Response refused = scrape(router, "192.0.2.7", wrong);
    EXPECT_EQ(refused.result(), Status::forbidden) << wrong;
    EXPECT_EQ(error_code_of(refused), "forbidden");
  }
  EXPECT_EQ(scrape(router, "192.0.2.7", "Bearer s3cret-metrics-token").result(), Status::ok);
  EXPECT_EQ(scrape(router, "192.0.2.7", "bearer s3cret-metrics-token").result(), Status::ok);
}

TEST(HttpMetricsTest, ErrorsAreCountedByCodeFromZero) {
  metrics::Registry registry;
  Router router;
  HttpMetrics metrics(registry, router);
  metrics.error(ErrorKind::kNotFound);
  metrics.error(ErrorKind::kNotFound);
  metrics.error(ErrorKind::kLengthRequired);
  const auto samples = parse_exposition(registry.render());
  EXPECT_EQ(samples.at(R"(pactum_http_errors_total{code="not_found"})"), 2);
  EXPECT_EQ(samples.at(R"(pactum_http_errors_total{code="length_required"})"), 1);
  for (const ErrorKind kind : all_error_kinds()) {
    EXPECT_TRUE(samples.contains(
        fmt::format(R"(pactum_http_errors_total{{code="{}"}})", error_info(kind).code)));
  }
  // The code is read back from the one error shape, and from nothing else.
  for (const ErrorKind kind : all_error_kinds()) {
    EXPECT_EQ(error_kind_of(error_response(kind, "m", "rid")), kind);
  }
  EXPECT_FALSE(error_kind_of(json_response(Status::ok, R"({"error":{"code":"not_found"}})")));
  EXPECT_FALSE(error_kind_of(json_response(Status::not_found, R"({"error":{"code":"nope"}})")));
  EXPECT_FALSE(error_kind_of(json_response(Status::bad_request, "plain text")));
}

}  // namespace
}  // namespace pactum::http

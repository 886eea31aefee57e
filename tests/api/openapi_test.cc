// The OpenAPI document and the router are kept in step: every documented operation is routed,
// and every route (pattern and method) is documented.

#include "pactum/api/openapi.h"

#include <gtest/gtest.h>

#include <set>

#include "api_fixture.h"

namespace pactum::testing {
namespace {

using boost::beast::http::verb;

class OpenApiTest : public ApiTest {};

std::string concrete(std::string pattern) {
  for (auto open = pattern.find('{'); open != std::string::npos; open = pattern.find('{')) {
    pattern.replace(open, pattern.find('}', open) - open + 1, "x1");
  }
  return pattern;
}

// routed returns true if the router has a route for method on the pattern (whatever the
// handler then answers).
bool routed(const http::Router& router, verb method, const std::string& pattern) {
  http::Request request{method, concrete(pattern), 11};
  http::RequestContext context;
  const http::Response response = router.handle(request, context);
  return context.route == pattern && response.result() != http::Status::method_not_allowed;
}

TEST_P(OpenApiTest, DocumentIsServedAndWellFormed) {
  Reply reply = call(verb::get, "/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.body["openapi"], "3.0.3");
  EXPECT_EQ(reply.body, api::openapi_document());
  // Every $ref points at a schema that exists.
  const auto& schemas = api::openapi_document()["components"]["schemas"];
  const std::string dump = api::openapi_document().dump();
  const std::string marker = "#/components/schemas/";
  for (auto at = dump.find(marker); at != std::string::npos; at = dump.find(marker, at + 1)) {
    const auto start = at + marker.size();
    const std::string name = dump.substr(start, dump.find('"', start) - start);
    EXPECT_TRUE(schemas.contains(name)) << name;
  }
}

TEST_P(OpenApiTest, EveryDocumentedOperationIsRouted) {
  const std::map<std::string, verb> verbs = {{"get", verb::get},
                                             {"post", verb::post},
                                             {"patch", verb::patch},
                                             {"put", verb::put},
                                             {"delete", verb::delete_}};
  int operations = 0;
  for (const auto& [path, item] : api::openapi_document()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      ASSERT_TRUE(verbs.contains(method)) << method;
      EXPECT_TRUE(routed(router_, verbs.at(method), path)) << method << " " << path;
      ++operations;
    }
  }
  EXPECT_GE(operations, 20);
}

TEST_P(OpenApiTest, EveryRouteIsDocumented) {
  const auto& paths = api::openapi_document()["paths"];
  int routes = 0;
  for (std::string_view pattern : router_.patterns()) {
    if (!pattern.starts_with("/api/")) {
      continue;
    }
    const std::string key(pattern);
    ASSERT_TRUE(paths.contains(key)) << key << " is routed but not documented";
    for (const auto& [name, method] : std::vector<std::pair<std::string, verb>>{
             {"get", verb::get}, {"post", verb::post}, {"patch", verb::patch},
             {"put", verb::put}, {"delete", verb::delete_}}) {
      if (routed(router_, method, key)) {
        EXPECT_TRUE(paths[key].contains(name)) << name << " " << key << " is not documented";
        ++routes;
      }
    }
  }
  EXPECT_GE(routes, 20);
}

INSTANTIATE_TEST_SUITE_P(Engines, OpenApiTest, ::testing::Values(store::Engine::kSqlite),
                         EngineName());

}  // namespace
}  // namespace pactum::testing

#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pactum/http/router.h"

namespace pactum::api {

// openapi_document returns the OpenAPI 3.0 description of REST API v1: every path and method,
// its authentication, request body and responses. It is written by hand, apart from the
// routes' code, and tests/api/openapi_test.cc keeps the two in step (every route documented,
// every documented operation routed).
const nlohmann::json& openapi_document();

// add_openapi_route serves the document at GET /api/v1/openapi.json (no authentication).
void add_openapi_route(http::Router& router);

}  // namespace pactum::api

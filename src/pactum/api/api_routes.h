#pragma once

#include "pactum/domain/services.h"
#include "pactum/http/router.h"

namespace pactum::api {

// add_api_routes registers every /api/v1 route on router, each behind the authentication
// middleware it needs, and GET /api/v1/openapi.json. services must outlive the router.
void add_api_routes(http::Router& router, const domain::Services& services);

// The route groups add_api_routes is made of (one file each).
void add_account_routes(http::Router& router, const domain::Services& services);
void add_enterprise_routes(http::Router& router, const domain::Services& services);
void add_app_routes(http::Router& router, const domain::Services& services);
void add_audit_routes(http::Router& router, const domain::Services& services);
// add_sandbox_routes adds GET /api/v1/sandbox/outbox, only when services.messaging is a sandbox
// configuration (otherwise nothing: the path is not routed at all).
void add_sandbox_routes(http::Router& router, const domain::Services& services);

}  // namespace pactum::api

#include "pactum/api/api_routes.h"

#include "pactum/api/openapi.h"

namespace pactum::api {

void add_api_routes(http::Router& router, const domain::Services& services) {
  add_account_routes(router, services);
  add_enterprise_routes(router, services);
  add_app_routes(router, services);
  add_audit_routes(router, services);
  add_sandbox_routes(router, services);
  add_openapi_route(router);
}

}  // namespace pactum::api

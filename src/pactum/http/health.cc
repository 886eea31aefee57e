#include "pactum/http/health.h"

namespace pactum::http {

void add_health_routes(Router& router) {
  router.add(boost::beast::http::verb::get, "/healthz",
             [](const Request& /*request*/, const RequestContext& /*context*/) {
               return json_response(Status::ok, R"({"status":"ok"})");
             });
}

}  // namespace pactum::http

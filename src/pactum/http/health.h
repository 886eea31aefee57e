#pragma once

#include "pactum/http/router.h"

namespace pactum::http {

// add_health_routes registers GET /healthz, which answers 200 {"status":"ok"} while the process
// serves requests. It checks no dependency: it is a liveness probe, not a readiness probe.
void add_health_routes(Router& router);

}  // namespace pactum::http

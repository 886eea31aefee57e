#pragma once

#include "pactum/domain/domain_error.h"
#include "pactum/http/error_kind.h"
#include "pactum/http/message.h"
#include "pactum/http/request_context.h"

namespace pactum::api {

// error_kind_for is the one table from a domain refusal to an HTTP error kind (and so to a
// status and code, through http's error table). kInternal and anything unknown are 500.
http::ErrorKind error_kind_for(domain::DomainErrorCode code);

// domain_error_response answers a refused use case with its kind's status and its message,
// which use cases write for the caller. A kInternal error instead throws std::runtime_error with
// the detail, so the Router answers 500 "internal" and writes the detail (which may name tables
// or keys) only to the error log, under the request id.
http::Response domain_error_response(const http::RequestContext& context,
                                     const domain::DomainError& error);

}  // namespace pactum::api

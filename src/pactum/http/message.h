#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json_fwd.hpp>

#include "pactum/http/error_kind.h"
#include "pactum/http/request_context.h"

namespace pactum::http {

// Request and Response are the messages the router sees: whole bodies held in strings, which the
// server bounds by its body limit before a handler ever runs.
using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;

// kRequestIdHeader names the header that carries a request's id in both directions.
inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// kJsonContentType is the Content-Type of every JSON body we send.
inline constexpr std::string_view kJsonContentType = "application/json";

// json_response returns a response with the given status whose body is the already serialised
// JSON text `body`. The caller (normally the Router) sets the version, keep-alive and request id.
Response json_response(Status status, std::string body);

// json_value_response returns a response whose body is `body` serialised; invalid UTF-8 in
// strings is replaced rather than thrown on.
Response json_value_response(Status status, const nlohmann::json& body);

// error_response returns the one error shape of the API, with the status of `kind` from the
// error table (error_kind.h):
//   {"error":{"code":"<code>","message":"<message>","request_id":"<request_id>"}}
// `message` is for people and must not carry secrets or internals; it may quote untrusted text,
// which is escaped (invalid UTF-8 replaced), so any text is safe to pass.
Response error_response(ErrorKind kind, std::string_view message, std::string_view request_id);

// error_response is the same, taking the request id from `context`.
Response error_response(const RequestContext& context, ErrorKind kind, std::string_view message);

// error_kind_of reads back the kind of an error response made by error_response (its body
// starts with {"error":{"code":"...), for counting errors by code; nullopt for anything else.
std::optional<ErrorKind> error_kind_of(const Response& response);

// is_json_content_type returns true if `content_type` is application/json, ignoring case and
// parameters such as "; charset=utf-8".
bool is_json_content_type(std::string_view content_type);

// read_json_body returns the request body parsed as JSON, or the error response to send: 415
// unsupported_media_type when the Content-Type is not application/json, 400 malformed_json when
// the body does not parse (including an empty body). It never throws.
std::expected<nlohmann::json, Response> read_json_body(const Request& request,
                                                       const RequestContext& context);

}  // namespace pactum::http

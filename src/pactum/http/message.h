#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

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

// json_error_response returns the one error shape of the API:
//   {"error":{"code":"<code>","message":"<message>","request_id":"<request_id>"}}
// `code` is a stable lower_snake identifier clients may branch on; `message` is for people.
// The strings are escaped as JSON, so any text is safe to pass.
Response json_error_response(Status status, std::string_view code, std::string_view message,
                             std::string_view request_id);

}  // namespace pactum::http

#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/http/message.h"
#include "pactum/http/request_context.h"

namespace pactum::api {

// Parsed is a value read from a request, or the error response to send instead.
template <typename T>
using Parsed = std::expected<T, http::Response>;

// kMaxFieldLength bounds any one string field; the use cases apply tighter limits of their own.
inline constexpr std::size_t kMaxFieldLength = 4096;

// read_object parses the body as a JSON object: 415 for another content type, 400
// malformed_json for bad JSON, 400 invalid_argument for JSON that is not an object.
Parsed<nlohmann::json> read_object(const http::Request& request,
                                   const http::RequestContext& context);

// required_string returns the string field `name`: 400 invalid_argument if it is missing, not a
// string or longer than kMaxFieldLength.
Parsed<std::string> required_string(const nlohmann::json& object, std::string_view name,
                                    const http::RequestContext& context);

// optional_string is required_string for a field that may be absent or null (nullopt then).
Parsed<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view name,
                                                   const http::RequestContext& context);

// read_required_string reads the body as a JSON object and returns its required string field
// `name` (read_object's and required_string's refusals).
Parsed<std::string> read_required_string(const http::Request& request,
                                         const http::RequestContext& context,
                                         std::string_view name);

// invalid_argument returns the 400 invalid_argument response with message.
http::Response invalid_argument(const http::RequestContext& context, std::string_view message);

}  // namespace pactum::api

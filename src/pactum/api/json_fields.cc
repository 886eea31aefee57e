#include "pactum/api/json_fields.h"

#include <fmt/format.h>

namespace pactum::api {

http::Response invalid_argument(const http::RequestContext& context, std::string_view message) {
  return http::error_response(context, http::ErrorKind::kInvalidArgument, message);
}

Parsed<nlohmann::json> read_object(const http::Request& request,
                                   const http::RequestContext& context) {
  auto body = http::read_json_body(request, context);
  if (!body) {
    return body;
  }
  if (!body->is_object()) {
    return std::unexpected(invalid_argument(context, "the body must be a JSON object"));
  }
  return body;
}

Parsed<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view name,
                                                   const http::RequestContext& context) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) {
    return std::optional<std::string>();
  }
  if (!found->is_string()) {
    return std::unexpected(invalid_argument(context, fmt::format("{} must be a string", name)));
  }
  const auto& text = found->get_ref<const std::string&>();
  if (text.size() > kMaxFieldLength) {
    return std::unexpected(invalid_argument(context, fmt::format("{} is too long", name)));
  }
  return std::optional<std::string>(text);
}

Parsed<std::string> required_string(const nlohmann::json& object, std::string_view name,
                                    const http::RequestContext& context) {
  auto value = optional_string(object, name, context);
  if (!value) {
    return std::unexpected(std::move(value.error()));
  }
  if (!*value) {
    return std::unexpected(invalid_argument(context, fmt::format("{} is required", name)));
  }
  return std::move(**value);
}

Parsed<std::string> read_required_string(const http::Request& request,
                                         const http::RequestContext& context,
                                         std::string_view name) {
  auto body = read_object(request, context);
  if (!body) {
    return std::unexpected(std::move(body.error()));
  }
  return required_string(*body, name, context);
}

}  // namespace pactum::api

#include "pactum/http/message.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

namespace pactum::http {

namespace beast_http = boost::beast::http;

Response json_response(Status status, std::string body) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, kJsonContentType);
  response.body() = std::move(body);
  return response;
}

Response json_value_response(Status status, const nlohmann::json& body) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response error_response(ErrorKind kind, std::string_view message, std::string_view request_id) {
  const ErrorInfo info = error_info(kind);
  const nlohmann::json body = {
      {"error", {{"code", info.code}, {"message", message}, {"request_id", request_id}}}};
  return json_value_response(info.status, body);
}

Response error_response(const RequestContext& context, ErrorKind kind, std::string_view message) {
  return error_response(kind, message, context.request_id);
}

std::optional<ErrorKind> error_kind_of(const Response& response) {
  // nlohmann::json orders keys, so error_response's body always starts this way.
  constexpr std::string_view kPrefix = R"({"error":{"code":")";
  if (response.result_int() < 400) {
    return std::nullopt;
  }
  const std::string_view body = response.body();
  if (!body.starts_with(kPrefix)) {
    return std::nullopt;
  }
  const std::string_view rest = body.substr(kPrefix.size());
  const std::size_t end = rest.find('"');
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return error_kind_from_code(rest.substr(0, end));
}

bool is_json_content_type(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.remove_suffix(1);
  }
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) {
    media.remove_prefix(1);
  }
  constexpr std::string_view kWanted = "application/json";
  return std::ranges::equal(media, kWanted, [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

std::expected<nlohmann::json, Response> read_json_body(const Request& request,
                                                       const RequestContext& context) {
  if (!is_json_content_type(request[beast_http::field::content_type])) {
    return std::unexpected(error_response(context, ErrorKind::kUnsupportedMediaType,
                                          "the body must be application/json"));
  }
  nlohmann::json parsed =
      nlohmann::json::parse(request.body(), /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return std::unexpected(
        error_response(context, ErrorKind::kMalformedJson, "the body is not valid JSON"));
  }
  return parsed;
}

}  // namespace pactum::http

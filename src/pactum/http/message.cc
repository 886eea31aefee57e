#include "pactum/http/message.h"

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

Response json_error_response(Status status, std::string_view code, std::string_view message,
                             std::string_view request_id) {
  const nlohmann::json body = {
      {"error", {{"code", code}, {"message", message}, {"request_id", request_id}}}};
  // A message may quote untrusted text (a path, a header); replace invalid UTF-8 rather than throw.
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace pactum::http

#include "pactum/api/verify_routes.h"

#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/pdf/validator.h"

namespace pactum::api {
namespace {

namespace beast_http = boost::beast::http;

constexpr std::string_view kPdfMediaType = "application/pdf";
// kPdfHeaderWindow: readers accept the %PDF- header anywhere in the first 1024 bytes.
constexpr std::size_t kPdfHeaderWindow = 1024;

// media_type returns the Content-Type without parameters, lower-cased.
std::string media_type(const http::Request& request) {
  const auto field = request.find(beast_http::field::content_type);
  if (field == request.end()) {
    return "";
  }
  std::string_view value = field->value();
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  std::string lower(value);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

struct VerifyState {
  explicit VerifyState(VerifyRouteOptions given)
      : options(std::move(given)), limiter(options.rate) {}

  VerifyRouteOptions options;
  http::RateLimiter limiter;
};

http::Response verify(const VerifyState& state, const http::Request& request,
                      const http::RequestContext& context) {
  if (media_type(request) != kPdfMediaType) {
    return http::error_response(context, http::ErrorKind::kUnsupportedMediaType,
                                "send the PDF itself with Content-Type application/pdf");
  }
  const std::string& body = request.body();
  if (body.size() > state.options.max_body_bytes) {
    return http::error_response(
        context, http::ErrorKind::kBodyTooLarge,
        fmt::format("the PDF is larger than {} bytes", state.options.max_body_bytes));
  }
  if (body.empty()) {
    return http::error_response(context, http::ErrorKind::kInvalidArgument,
                                "the request body is empty: send the PDF to verify");
  }
  if (std::string_view(body).substr(0, kPdfHeaderWindow).find("%PDF-") == std::string_view::npos) {
    return http::error_response(context, http::ErrorKind::kInvalidArgument,
                                "the file is not a PDF (no %PDF- header)");
  }
  pdf::ValidationOptions validation;
  validation.trust_anchors = state.options.trust_anchors;
  validation.now = state.options.now();
  auto report = pdf::validate_pdf(*view_source(as_bytes(body)), validation);
  if (!report) {
    // The tool failed, not the file: the router answers 500 and logs the cause.
    throw std::runtime_error("verify: " + report.error().describe());
  }
  http::Response response =
      http::json_response(http::Status::ok, pdf::render_validation_json(*report));
  response.set(beast_http::field::cache_control, "no-store");
  return response;
}

}  // namespace

void add_verify_route(http::Router& router, VerifyRouteOptions options) {
  auto state = std::make_shared<VerifyState>(std::move(options));
  http::Middleware limit = state->limiter.middleware();
  router.add(beast_http::verb::post, "/api/v1/verify",
             [state](const http::Request& request, const http::RequestContext& context) {
               return verify(*state, request, context);
             },
             {[state, limit = std::move(limit)](const http::Request& request,
                                                http::RequestContext& context) {
               return limit(request, context);
             }});
}

}  // namespace pactum::api

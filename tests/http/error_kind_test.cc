#include "pactum/http/error_kind.h"

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pactum/http/message.h"

namespace pactum::http {
namespace {

TEST(ErrorKindTest, EveryKindHasAUniqueCodeAndAnErrorStatus) {
  std::set<std::string_view> codes;
  for (const ErrorKind kind : all_error_kinds()) {
    const ErrorInfo info = error_info(kind);
    EXPECT_TRUE(codes.insert(info.code).second) << info.code;
    const auto status = static_cast<unsigned>(info.status);
    EXPECT_GE(status, 400U) << info.code;
    EXPECT_LT(status, 600U) << info.code;
    EXPECT_EQ(error_kind_from_code(info.code), kind);
  }
  EXPECT_EQ(codes.size(), kErrorKindCount);
  EXPECT_EQ(error_kind_from_code("no_such_code"), std::nullopt);
}

TEST(ErrorKindTest, StatusesFromTheTable) {
  const std::pair<ErrorKind, unsigned> expected[] = {
      {ErrorKind::kBadRequest, 400},       {ErrorKind::kMalformedJson, 400},
      {ErrorKind::kInvalidArgument, 400},  {ErrorKind::kUnauthorized, 401},
      {ErrorKind::kForbidden, 403},        {ErrorKind::kNotFound, 404},
      {ErrorKind::kMethodNotAllowed, 405}, {ErrorKind::kRequestTimeout, 408},
      {ErrorKind::kConflict, 409},         {ErrorKind::kLengthRequired, 411},
      {ErrorKind::kBodyTooLarge, 413},     {ErrorKind::kUnsupportedMediaType, 415},
      {ErrorKind::kRateLimited, 429},      {ErrorKind::kHeaderTooLarge, 431},
      {ErrorKind::kInternal, 500},         {ErrorKind::kUnavailable, 503},
  };
  EXPECT_EQ(std::size(expected), kErrorKindCount);
  for (const auto& [kind, status] : expected) {
    EXPECT_EQ(static_cast<unsigned>(error_info(kind).status), status) << error_info(kind).code;
  }
}

TEST(ErrorKindTest, ErrorResponseHasTheOneShape) {
  for (const ErrorKind kind : all_error_kinds()) {
    const Response response = error_response(kind, "say \"why\"\xff", "rid-1");
    EXPECT_EQ(response.result(), error_info(kind).status);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/json");
    const auto body = nlohmann::json::parse(response.body());
    ASSERT_EQ(body.size(), 1U);
    ASSERT_EQ(body.at("error").size(), 3U);
    EXPECT_EQ(body["error"]["code"], error_info(kind).code);
    EXPECT_TRUE(body["error"]["message"].get<std::string>().starts_with("say \"why\""));
    EXPECT_EQ(body["error"]["request_id"], "rid-1");
  }
}

TEST(JsonBodyTest, ContentTypeIsCheckedFirst) {
  Request request{boost::beast::http::verb::post, "/x", 11};
  request.body() = R"({"a":1})";
  RequestContext context;
  context.request_id = "r";
  const auto missing = read_json_body(request, context);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().result(), Status::unsupported_media_type);
  EXPECT_EQ(nlohmann::json::parse(missing.error().body())["error"]["code"],
            "unsupported_media_type");

  request.set(boost::beast::http::field::content_type, "text/plain");
  EXPECT_FALSE(read_json_body(request, context).has_value());

  request.set(boost::beast::http::field::content_type, "Application/JSON; charset=utf-8");
  const auto parsed = read_json_body(request, context);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ((*parsed)["a"], 1);
}

TEST(JsonBodyTest, MalformedBodiesAre400) {
  RequestContext context;
  for (const std::string body : {"", "{", "{\"a\":}", "[1,2", "\"\xff\"", "nul"}) {
    Request request{boost::beast::http::verb::post, "/x", 11};
    request.set(boost::beast::http::field::content_type, "application/json");
    request.body() = body;
    const auto parsed = read_json_body(request, context);
    ASSERT_FALSE(parsed.has_value()) << body;
    EXPECT_EQ(parsed.error().result(), Status::bad_request);
    EXPECT_EQ(nlohmann::json::parse(parsed.error().body())["error"]["code"], "malformed_json");
  }
}

TEST(JsonContentTypeTest, Variants) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type(""));
}

}  // namespace
}  // namespace pactum::http

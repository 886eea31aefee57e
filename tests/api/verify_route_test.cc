// POST /api/v1/verify through the router: the validator's report for a signed PDF (valid with
// the signer's root trusted, invalid with one byte changed, indeterminate with another root),
// and clear refusals for what is not a PDF.
#include "pactum/api/verify_routes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "pactum/base/atomic_file.h"
#include "pactum/base/byte_source.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/key.h"
#include "pactum/pdf/pades_signer.h"
#include "pdf_fixtures.h"

namespace pactum::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::verb;
using nlohmann::json;

class VerifyRouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::string(::testing::TempDir() + "pactum-verify-route-" + std::to_string(::getpid()));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_ + "/other"));
    const auto key = *crypto::PrivateKey::from_pem(*read_file(*dir_ + "/ec.key.pem"));
    const auto cert = *crypto::Certificate::from_pem(*read_file(*dir_ + "/ec.cert.pem"));
    const Bytes pdf = fixtures::classic_pdf(2);
    pdf::SignatureRequest request;
    request.key = &key;
    request.certificate = &cert;
    request.name = "张三";
    request.reason = "同意";
    request.signing_time =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto signed_pdf = pdf::sign_pdf(view_source(pdf), request);
    ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
    signed_ = new std::string(as_chars(pdf));
    signed_->append(as_chars(signed_pdf->update.bytes));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete signed_;
  }

  static crypto::Certificate root(const std::string& sub = "") {
    return *crypto::Certificate::from_pem(*read_file(*dir_ + sub + "/root.pem"));
  }

  http::Router router(std::vector<crypto::Certificate> anchors, std::uint32_t limit = 100) {
    http::Router r;
    VerifyRouteOptions options;
    options.trust_anchors = std::move(anchors);
    options.max_body_bytes = 1024 * 1024;
    options.rate.limit = limit;
    add_verify_route(r, std::move(options));
    return r;
  }

  static http::Response post(const http::Router& r, std::string body,
                             std::string_view type = "application/pdf",
                             std::string address = "192.0.2.1") {
    http::Request request{verb::post, "/api/v1/verify", 11};
    request.set(field::content_type, type);
    request.body() = std::move(body);
    request.prepare_payload();
    http::RequestContext context;
    context.client_address = std::move(address);
    return r.handle(request, context);
  }

  static json body(const http::Response& response) { return json::parse(response.body()); }

  static inline std::string* dir_ = nullptr;
  static inline std::string* signed_ = nullptr;
};

TEST_F(VerifyRouteTest, ASignedFileIsValidWithItsRootTrusted) {
  const http::Response response = post(router({root()}), *signed_);
  ASSERT_EQ(response.result(), http::Status::ok) << response.body();
  EXPECT_EQ(response[field::content_type], "application/json");
  EXPECT_EQ(response[field::cache_control], "no-store");
  const json report = body(response);
  EXPECT_EQ(report["verdict"], "valid") << report.dump(2);
  ASSERT_EQ(report["signatures"].size(), 1U);
  const json& signature = report["signatures"][0];
  EXPECT_EQ(signature["verdict"], "valid");
  EXPECT_EQ(signature["integrity"], "intact");
  EXPECT_EQ(signature["changes_summary"], "none");
  EXPECT_EQ(signature["name"], "张三");
  EXPECT_EQ(signature["reason"], "同意");
  EXPECT_NE(signature["signer"].get<std::string>().find("CN="), std::string::npos);
  EXPECT_EQ(report["size"], signed_->size());
}

TEST_F(VerifyRouteTest, OneChangedByteMakesItInvalid) {
  std::string altered = *signed_;
  const std::size_t at = altered.find("/Type /Page");
  ASSERT_NE(at, std::string::npos);
  altered[at + 1] = 'X';  // inside the signed byte range
  const json report = body(post(router({root()}), altered));
  EXPECT_EQ(report["verdict"], "invalid") << report.dump(2);
  EXPECT_EQ(report["signatures"][0]["integrity"], "altered");
}

TEST_F(VerifyRouteTest, AnotherRootLeavesItIndeterminate) {
  EXPECT_EQ(body(post(router({root("/other")}), *signed_))["verdict"], "indeterminate");
  EXPECT_EQ(body(post(router({}), *signed_))["verdict"], "indeterminate");
}

TEST_F(VerifyRouteTest, AnUnsignedPdfIsInvalid) {
  const Bytes plain = fixtures::classic_pdf(1);
  const json report = body(post(router({root()}), std::string(as_chars(plain))));
  EXPECT_EQ(report["verdict"], "invalid");
  EXPECT_TRUE(report["signatures"].empty());
}

TEST_F(VerifyRouteTest, WhatIsNotAPdfIsRefusedWithAClearMessage) {
  const http::Router r = router({root()});
  const http::Response wrong_type = post(r, *signed_, "application/json");
  EXPECT_EQ(wrong_type.result(), http::Status::unsupported_media_type);
  EXPECT_NE(wrong_type.body().find("application/pdf"), std::string::npos);
  const http::Response empty = post(r, "");
  EXPECT_EQ(empty.result(), http::Status::bad_request);
  EXPECT_NE(empty.body().find("empty"), std::string::npos);
  const http::Response text = post(r, "hello, this is a text file");
  EXPECT_EQ(text.result(), http::Status::bad_request);
  EXPECT_NE(text.body().find("not a PDF"), std::string::npos);
  const http::Response big = post(r, "%PDF-1.7\n" + std::string(1024 * 1024, ' '));
  EXPECT_EQ(big.result(), http::Status::payload_too_large);
  // A parameter on the media type is fine.
  EXPECT_EQ(post(r, *signed_, "Application/PDF; charset=binary").result(), http::Status::ok);
}

TEST_F(VerifyRouteTest, EachAddressIsRateLimited) {
  const http::Router r = router({root()}, 2);
  EXPECT_EQ(post(r, *signed_).result(), http::Status::ok);
  EXPECT_EQ(post(r, *signed_).result(), http::Status::ok);
  const http::Response refused = post(r, *signed_);
  EXPECT_EQ(refused.result(), http::Status::too_many_requests);
  EXPECT_NE(refused.body().find("rate_limited"), std::string::npos);
  EXPECT_EQ(post(r, *signed_, "application/pdf", "192.0.2.2").result(), http::Status::ok);
}

}  // namespace
}  // namespace pactum::api

// The web app's files through the router's fallback: files, SPA routes, cache headers, and no
// way out of the root (dot segments plain or percent-encoded, backslashes, NUL, absolute paths,
// symbolic links out).
#include "pactum/http/static_site.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "pactum/http/health.h"

namespace pactum::http {
namespace {

namespace fs = std::filesystem;
using boost::beast::http::field;
using boost::beast::http::verb;

constexpr std::string_view kIndex = "<!doctype html><title>Pactum</title>";
constexpr std::string_view kSecret = "outside the web root";

void write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(::testing::TempDir()) /
            ("pactum-static-site-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    write(root_ / "index.html", kIndex);
    write(root_ / "assets" / "index-Ab12Cd.js", "console.log(1)");
    write(root_ / "assets" / "index-Ab12Cd.css", "body{}");
    write(root_ / "robots.txt", "User-agent: *");
    write(base_ / "secret.txt", kSecret);
    write(base_ / "outside" / "secret.txt", kSecret);
    fs::create_symlink(base_ / "secret.txt", root_ / "link-out.txt");
    fs::create_symlink(base_ / "outside", root_ / "assets" / "dir-out");
    fs::create_symlink(root_ / "robots.txt", root_ / "link-in.txt");
    auto site = StaticSite::open({.root = root_});
    ASSERT_TRUE(site) << site.error().message;
    add_health_routes(router_);
    add_static_site(router_, *site);
  }
  void TearDown() override { fs::remove_all(base_); }

  Response get(const std::string& target, verb method = verb::get) {
    Request request{method, target, 11};
    return router_.handle(request);
  }

  fs::path base_;
  fs::path root_;
  Router router_;
};

TEST_F(StaticSiteTest, ServesIndexAtTheRootWithoutCaching) {
  const Response response = get("/");
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), kIndex);
  EXPECT_EQ(response[field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[field::cache_control], kRevalidateCacheControl);
  EXPECT_NE(response["Content-Security-Policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
}

TEST_F(StaticSiteTest, ClientSideRoutesFallBackToIndex) {
  for (const char* path : {"/s/tok_AbC-123", "/verify", "/contracts/ctr_1", "/members?tab=roles",
                           "/index.html", "/a%2fb"}) {
    const Response response = get(path);
    EXPECT_EQ(response.result(), Status::ok) << path;
    EXPECT_EQ(response.body(), kIndex) << path;
    EXPECT_EQ(response[field::cache_control], kRevalidateCacheControl) << path;
  }
}

TEST_F(StaticSiteTest, HashedAssetsAreCachedForAYear) {
  Response js = get("/assets/index-Ab12Cd.js?v=2");
  EXPECT_EQ(js.result(), Status::ok);
  EXPECT_EQ(js.body(), "console.log(1)");
  EXPECT_EQ(js[field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(js[field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/assets/index-Ab12Cd.css")[field::content_type], "text/css; charset=utf-8");
  // Outside assets/ a file may change under the same name: revalidate.
  const Response robots = get("/robots.txt");
  EXPECT_EQ(robots.body(), "User-agent: *");
  EXPECT_EQ(robots[field::cache_control], kRevalidateCacheControl);
}

TEST_F(StaticSiteTest, MissingAssetIsA404NotTheIndex) {
  const Response response = get("/assets/index-Old999.js");
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_NE(response.body().find("\"not_found\""), std::string::npos);
}

TEST_F(StaticSiteTest, DotSegmentsAreRefusedPlainOrEncoded) {
  for (const char* path :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/%2e/index.html",
        "/..%5csecret.txt", "/assets%5c..%5c..%5csecret.txt", "/x%00.html", "/%zz"}) {
    const Response response = get(path);
    EXPECT_EQ(response.result(), Status::bad_request) << path;
    EXPECT_EQ(response.body().find(kSecret), std::string::npos) << path;
  }
}

TEST_F(StaticSiteTest, AbsolutePathsStayInsideTheRoot) {
  const std::string absolute = (base_ / "secret.txt").string();
  for (const std::string& path :
       {"/" + absolute, "//" + absolute.substr(1), std::string("//etc/passwd")}) {
    const Response response = get(path);
    EXPECT_EQ(response.body().find(kSecret), std::string::npos) << path;
    EXPECT_EQ(response.body().find("root:"), std::string::npos) << path;
    EXPECT_EQ(response.body(), kIndex) << path;  // names nothing under the root: the app
  }
}

TEST_F(StaticSiteTest, SymbolicLinksOutOfTheRootAreNotFollowed) {
  for (const char* path : {"/link-out.txt", "/assets/dir-out/secret.txt"}) {
    const Response response = get(path);
    EXPECT_EQ(response.result(), Status::not_found) << path;
    EXPECT_EQ(response.body().find(kSecret), std::string::npos) << path;
  }
  // A link that stays inside is an ordinary file.
  EXPECT_EQ(get("/link-in.txt").body(), "User-agent: *");
}

TEST_F(StaticSiteTest, ServerPathsAreNeverTheApp) {
  EXPECT_EQ(get("/healthz").result(), Status::ok);  // a route wins over the fallback
  for (const char* path : {"/api/v1/nope", "/api", "/pki/nope", "/tsa/x", "/metrics/x"}) {
    Request request{verb::get, path, 11};
    RequestContext context;
    const Response response = router_.handle(request, context);
    EXPECT_EQ(response.result(), Status::not_found) << path;
    EXPECT_EQ(response[field::content_type], "application/json") << path;
    EXPECT_TRUE(context.route.empty()) << path;  // unmatched, as without a site
  }
  // Only GET reaches the fallback: other methods on unknown paths stay 404.
  EXPECT_EQ(get("/verify", verb::post).result(), Status::not_found);
  EXPECT_EQ(get("/api/v1/nope", verb::delete_).result(), Status::not_found);
}

TEST_F(StaticSiteTest, OversizedFilesAreNotServed) {
  auto site = StaticSite::open({.root = root_, .max_file_bytes = 4});
  ASSERT_TRUE(site);
  Request request{verb::get, "/robots.txt", 11};
  RequestContext context;
  EXPECT_EQ((*site)->serve(request, context).result(), Status::internal_server_error);
}

TEST(StaticSiteOpenTest, RefusesARootWithoutIndex) {
  const fs::path empty =
      fs::path(::testing::TempDir()) / ("pactum-empty-" + std::to_string(::getpid()));
  fs::create_directories(empty);
  auto site = StaticSite::open({.root = empty});
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(StaticSite::open({.root = empty / "missing"}));
  fs::remove_all(empty);
}

TEST(ContentTypeTest, KnowsTheBuildsFileTypes) {
  EXPECT_EQ(content_type_for("pdf.worker.min-FHb.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("noextension"), "application/octet-stream");
}

}  // namespace
}  // namespace pactum::http

// The composition root: what it builds from a Wiring (the fixture's fakes are Wiring fields, so
// these cases check that each field reaches the services), on SQLite and PostgreSQL.

#include "pactum/node/composition.h"

#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "domain_fixture.h"
#include "pactum/base/metrics.h"
#include "pactum/domain/api_apps.h"
#include "pactum/domain/request_signature.h"
#include "store/store_test_support.h"

namespace pactum::testing {
namespace {

class CompositionTest : public DomainTest {
 protected:
  // app_request authenticates one GET of an app, signed at `signed_at`, against services.
  domain::DomainResult<domain::Actor> app_request(const domain::Services& services,
                                                  const domain::ApiAppCredentials& app,
                                                  std::chrono::system_clock::time_point signed_at,
                                                  const std::string& nonce) {
    const std::string timestamp = std::to_string(unix_seconds(signed_at));
    const domain::SignedRequestParts parts{.method = "GET",
                                           .path = "/api/v1/enterprises",
                                           .raw_query = "",
                                           .timestamp = timestamp,
                                           .nonce = nonce,
                                           .body = ""};
    auto signature = domain::sign_request(app.secret, parts);
    EXPECT_TRUE(signature);
    return domain::authenticate_app_request(services, app.app.id, parts, signature.value_or(""));
  }

  domain::ApiAppCredentials make_app() {
    const domain::Actor owner = user("owner@example.com");
    const std::string id = enterprise(owner, "Composed Co");
    auto app = domain::create_api_app(services(), owner, id, "Robot",
                                      {domain::ApiScope::kEnterpriseRead}, origin_);
    EXPECT_TRUE(app) << (app ? "" : app.error().message);
    return app.value_or(domain::ApiAppCredentials{});
  }
};

TEST_P(CompositionTest, TheWiringsClockAndArgon2ReachTheServices) {
  node::Wiring wiring = wiring_for_test(pii());
  auto built = node::Composition::build(wiring);
  ASSERT_TRUE(built) << built.error().describe();
  const domain::Services& services = (*built)->services();
  EXPECT_EQ(services.clock(), now_);
  now_ += std::chrono::hours(1);
  EXPECT_EQ(services.clock(), now_) << "the clock is the fixture's, called each time";
  EXPECT_EQ(services.hasher.parameters(), kCheapArgon2);
  EXPECT_EQ(&services.database, &database());
  EXPECT_EQ(&services.pii, &pii());
  EXPECT_EQ(services.login_counters, nullptr) << "no registry, no counters";
  EXPECT_EQ(services.session_lifetime, std::chrono::hours(12));
}

TEST_P(CompositionTest, CountsLogInsIntoTheRegistryWhenGiven) {
  user("counted@example.com");
  metrics::Registry registry;
  node::Wiring wiring = wiring_for_test(pii());
  wiring.registry = &registry;
  auto built = node::Composition::build(wiring);
  ASSERT_TRUE(built) << built.error().describe();
  ASSERT_NE((*built)->services().login_counters, nullptr);
  EXPECT_FALSE(
      domain::log_in((*built)->services(), "counted@example.com", "wrong-password-1", origin_));
  EXPECT_TRUE(
      domain::log_in((*built)->services(), "counted@example.com", "password-123", {"192.0.2.7"}));
  const std::string text = registry.render();
  EXPECT_NE(text.find(R"(pactum_logins_total{result="wrong_password"} 1)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(pactum_logins_total{result="success"} 1)"), std::string::npos) << text;
}

// By default the node counts itself started at its clock's time when built: on SQLite a request
// signed before that is refused (the nonces of an earlier run are gone); given started_at = 0
// (the fixture's wiring), the same request passes.
TEST_P(CompositionTest, StartedAtDefaultsToTheClockAtBuild) {
  const domain::ApiAppCredentials app = make_app();
  ASSERT_FALSE(app.app.id.empty());
  const auto before_start = now_ - std::chrono::seconds(30);

  node::Wiring wiring = wiring_for_test(pii());
  wiring.started_at.reset();
  auto fresh = node::Composition::build(wiring);
  ASSERT_TRUE(fresh);
  auto refused = app_request((*fresh)->services(), app, before_start, "nonce-before-start-01");
  if (GetParam() == store::Engine::kSqlite) {
    expect_refused(refused, domain::DomainErrorCode::kExpired, "signed before the node started");
  } else {
    EXPECT_TRUE(refused) << "PostgreSQL nodes share nonces: no start floor";
  }
  EXPECT_TRUE(app_request((*fresh)->services(), app, now_, "nonce-after-start-0001"));

  auto old_start = node::Composition::build(wiring_for_test(pii()));
  ASSERT_TRUE(old_start);
  EXPECT_TRUE(app_request((*old_start)->services(), app, before_start, "nonce-old-start-00001"));
}

INSTANTIATE_TEST_SUITE_P(Engines, CompositionTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

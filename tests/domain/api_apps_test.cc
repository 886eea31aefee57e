#include "pactum/domain/api_apps.h"

#include <gtest/gtest.h>

#include "concurrent_spends.h"

#include "domain_fixture.h"
#include "pactum/domain/audit_log.h"

namespace pactum::testing {
namespace {

using domain::ApiScope;
using domain::DomainErrorCode;

class ApiAppsTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    owner_ = user("owner@example.com");
    root_ = enterprise(owner_, "Root");
    child_ = subsidiary(owner_, root_, "Child");
    other_owner_ = user("other@example.com");
    other_ = enterprise(other_owner_, "Other");
  }

  domain::ApiAppCredentials app(std::vector<ApiScope> scopes, const std::string& in = "") {
    auto made = domain::create_api_app(services(), owner_, in.empty() ? child_ : in, "Robot",
                                       scopes, origin_);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? *made : domain::ApiAppCredentials{};
  }

  // signed_call authenticates a request signed with secret at the fixture's clock.
  domain::DomainResult<domain::Actor> signed_call(const domain::ApiAppCredentials& creds,
                                                  const std::string& nonce, std::string secret = "",
                                                  std::int64_t skew = 0) {
    const std::string timestamp = std::to_string(unix_seconds(now_) + skew);
    const std::string path = "/api/v1/enterprises/" + child_;
    const domain::SignedRequestParts stable{.method = "GET",
                                            .path = path,
                                            .raw_query = "",
                                            .timestamp = timestamp,
                                            .nonce = nonce,
                                            .body = ""};
    auto signature = domain::sign_request(secret.empty() ? creds.secret : secret, stable);
    EXPECT_TRUE(signature);
    return domain::authenticate_app_request(services(), creds.app.id, stable, *signature);
  }

  domain::Actor owner_, other_owner_;
  std::string root_, child_, other_;
};

TEST_P(ApiAppsTest, SignedRequestAuthenticatesAsTheApp) {
  auto creds = app({ApiScope::kEnterpriseRead});
  auto actor = signed_call(creds, "nonce-000000000001");
  ASSERT_TRUE(actor) << actor.error().message;
  EXPECT_EQ(actor->kind, domain::ActorKind::kApp);
  EXPECT_EQ(actor->app_enterprise_id, child_);
  EXPECT_TRUE(domain::get_enterprise(services(), *actor, child_));
  // Scopes bound it: no members:write, and never beyond its enterprise's reach.
  expect_refused(domain::create_department(services(), *actor, child_, "X", origin_),
                 DomainErrorCode::kForbidden);
  expect_refused(domain::get_enterprise(services(), *actor, root_), DomainErrorCode::kNotFound,
                 "an app of a subsidiary reading the parent");
  expect_refused(domain::get_enterprise(services(), *actor, other_), DomainErrorCode::kNotFound);
  expect_refused(domain::create_api_app(services(), *actor, child_, "Spawn",
                                        {ApiScope::kEnterpriseRead}, origin_),
                 DomainErrorCode::kForbidden, "apps never manage apps");
}

TEST_P(ApiAppsTest, ReplayedNonceIsRefused) {
  auto creds = app({ApiScope::kEnterpriseRead});
  ASSERT_TRUE(signed_call(creds, "nonce-000000000002"));
  expect_refused(signed_call(creds, "nonce-000000000002"), DomainErrorCode::kReplayed);
  EXPECT_TRUE(signed_call(creds, "nonce-000000000003"));
}

TEST_P(ApiAppsTest, StaleOrFutureTimestampIsRefused) {
  auto creds = app({ApiScope::kEnterpriseRead});
  expect_refused(signed_call(creds, "nonce-000000000004", "", -301), DomainErrorCode::kExpired);
  expect_refused(signed_call(creds, "nonce-000000000005", "", 301), DomainErrorCode::kExpired);
  EXPECT_TRUE(signed_call(creds, "nonce-000000000006", "", -299));
}

TEST_P(ApiAppsTest, WrongSecretRotationAndRevocation) {
  auto creds = app({ApiScope::kEnterpriseRead});
  expect_refused(signed_call(creds, "nonce-000000000007", "not-the-secret"),
                 DomainErrorCode::kUnauthenticated);
  auto rotated = domain::rotate_api_app_secret(services(), owner_, child_, creds.app.id, origin_);
  ASSERT_TRUE(rotated);
  EXPECT_NE(rotated->secret, creds.secret);
  expect_refused(signed_call(creds, "nonce-000000000008"), DomainErrorCode::kUnauthenticated,
                 "old secret after rotation");
  EXPECT_TRUE(signed_call(*rotated, "nonce-000000000009"));
  ASSERT_TRUE(domain::revoke_api_app(services(), owner_, child_, creds.app.id, origin_));
  expect_refused(signed_call(*rotated, "nonce-000000000010"), DomainErrorCode::kUnauthenticated,
                 "revoked");
  expect_refused(domain::rotate_api_app_secret(services(), owner_, child_, creds.app.id, origin_),
                 DomainErrorCode::kConflict);
}

TEST_P(ApiAppsTest, OneSignedRequestSentConcurrentlyIsAcceptedOnce) {
  auto creds = app({ApiScope::kEnterpriseRead});
  constexpr int kThreads = 8;
  for (int round = 0; round < 10; ++round) {
    const std::string nonce = "nonce-concurrent-" + std::to_string(round);
    const auto outcome = spend_concurrently(kThreads, [&](int) -> domain::DomainStatus {
      auto actor = signed_call(creds, nonce);
      if (!actor) {
        return std::unexpected(actor.error());
      }
      return {};
    });
    ASSERT_EQ(outcome.accepted, 1) << "round " << round;
    ASSERT_EQ(outcome.replayed, kThreads - 1) << "round " << round;
  }
}

TEST_P(ApiAppsTest, RevocationByAnotherNodeIsSeenWithinTheCacheTtl) {
  auto creds = app({ApiScope::kEnterpriseRead});
  ASSERT_TRUE(signed_call(creds, "nonce-000000000020"));
  {
    // Another node revokes the app: this process's cache is not told.
    auto lease = database().acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(
        (*lease)->execute("UPDATE api_apps SET revoked_at = 1 WHERE id = ?", {creds.app.id}));
  }
  EXPECT_TRUE(signed_call(creds, "nonce-000000000021"))
      << "inside the TTL the cached record still serves (the documented bound)";
  now_ += domain::ApiAppCache::kDefaultTtl;
  expect_refused(signed_call(creds, "nonce-000000000022"), DomainErrorCode::kUnauthenticated,
                 "revoked elsewhere, seen once the entry expired");
}

TEST_P(ApiAppsTest, RevocationHereTakesEffectAtOnceDespiteTheCache) {
  auto creds = app({ApiScope::kEnterpriseRead});
  ASSERT_TRUE(signed_call(creds, "nonce-000000000030"));  // cached now
  ASSERT_TRUE(domain::revoke_api_app(services(), owner_, child_, creds.app.id, origin_));
  expect_refused(signed_call(creds, "nonce-000000000031"), DomainErrorCode::kUnauthenticated);
}

TEST_P(ApiAppsTest, OtherTenantsCannotSeeOrTouchApps) {
  auto creds = app({ApiScope::kEnterpriseRead});
  expect_refused(domain::list_api_apps(services(), other_owner_, child_),
                 DomainErrorCode::kNotFound);
  expect_refused(domain::revoke_api_app(services(), other_owner_, other_, creds.app.id, origin_),
                 DomainErrorCode::kNotFound, "app id under the wrong enterprise");
  auto listed = domain::list_api_apps(services(), owner_, child_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_FALSE((*listed)[0].revoked);
}

TEST_P(ApiAppsTest, SecretIsNotStoredInClear) {
  auto creds = app({ApiScope::kEnterpriseRead});
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  auto row = (*lease)->query_one("SELECT secret_sealed FROM api_apps");
  ASSERT_TRUE(row);
  const Bytes sealed = row->blob(0).value();
  EXPECT_EQ(std::string(as_chars(sealed)).find(creds.secret), std::string::npos);
}

TEST_P(ApiAppsTest, NeedsScopes) {
  expect_refused(domain::create_api_app(services(), owner_, child_, "Robot", {}, origin_),
                 DomainErrorCode::kInvalidInput);
}

INSTANTIATE_TEST_SUITE_P(Engines, ApiAppsTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

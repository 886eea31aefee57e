// The isolation matrix: every enterprise endpoint, called by every kind of outsider, is denied
// with nothing changed and nothing leaked (another tenant's objects read as not found).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_fixture.h"

namespace pactum::testing {
namespace {

using boost::beast::http::verb;

struct Endpoint {
  verb method;
  std::string path;  // with {id}, {user_id}, {app_id}
  std::optional<std::string> body;
  bool member_may;  // a plain member of the enterprise may call it
  bool read_scope_may;  // an app with only enterprise:read may call it
};

const std::vector<Endpoint>& endpoints() {
  static const std::vector<Endpoint> list = {
      {verb::get, "/api/v1/enterprises/{id}", std::nullopt, true, true},
      {verb::get, "/api/v1/enterprises/{id}/subsidiaries", std::nullopt, true, true},
      {verb::post, "/api/v1/enterprises/{id}/subsidiaries", R"({"name":"New Sub"})", false,
       false},
      {verb::get, "/api/v1/enterprises/{id}/members", std::nullopt, true, true},
      {verb::post, "/api/v1/enterprises/{id}/members",
       R"({"login":"fresh@example.com","name":"Fresh","password":"password-123"})", false, false},
      {verb::patch, "/api/v1/enterprises/{id}/members/{user_id}", R"({"role":"auditor"})", false,
       false},
      {verb::delete_, "/api/v1/enterprises/{id}/members/{user_id}", std::nullopt, false, false},
      {verb::get, "/api/v1/enterprises/{id}/departments", std::nullopt, true, true},
      {verb::post, "/api/v1/enterprises/{id}/departments", R"({"name":"New Dept"})", false,
       false},
      {verb::get, "/api/v1/enterprises/{id}/apps", std::nullopt, false, false},
      {verb::post, "/api/v1/enterprises/{id}/apps",
       R"({"name":"Bot","scopes":["enterprise:read"]})", false, false},
      {verb::post, "/api/v1/enterprises/{id}/apps/{app_id}/rotate-secret", std::nullopt, false,
       false},
      {verb::delete_, "/api/v1/enterprises/{id}/apps/{app_id}", std::nullopt, false, false},
      {verb::get, "/api/v1/enterprises/{id}/audit", std::nullopt, false, false},
  };
  return list;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// One enterprise's objects that the paths name.
struct Target {
  std::string id;
  std::string name;
  std::string user_id;
  std::string user_login;
  std::string app_id;
};

class IsolationTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    owner_r_ = login("owner.r@example.com");
    owner_a_ = login("owner.a@example.com");
    owner_b_ = login("owner.b@example.com");
    member_a_ = login("member.a@example.com");
    owner_x_ = login("owner.x@example.com");
    root_ = make_enterprise(owner_r_, "Root Secret Group", "");
    a_ = make_enterprise(owner_r_, "Subsidiary Alpha Secret", root_.id);
    b_ = make_enterprise(owner_r_, "Subsidiary Beta Secret", root_.id);
    x_ = make_enterprise(owner_x_, "Unrelated Xeno Secret", "");
    add(owner_r_, a_.id, "owner.a@example.com", "owner");
    add(owner_r_, b_.id, "owner.b@example.com", "owner");
    add(owner_r_, a_.id, "member.a@example.com", "member");
    fill(owner_r_, root_, "victim.r@example.com");
    fill(owner_r_, a_, "victim.a@example.com");
    fill(owner_r_, b_, "victim.b@example.com");
    app_b_ = make_app(owner_b_, b_.id, {"enterprise:read", "members:write", "audit:read"});
    read_app_a_ = make_app(owner_a_, a_.id, {"enterprise:read"});
  }

  Target make_enterprise(const Credentials& who, const std::string& name,
                         const std::string& parent) {
    const std::string path =
        parent.empty() ? "/api/v1/enterprises" : "/api/v1/enterprises/" + parent + "/subsidiaries";
    Reply reply = call(verb::post, path, nlohmann::json{{"name", name}}.dump(), who);
    EXPECT_EQ(reply.status, 201U) << reply.raw.body();
    return Target{reply.body.value("id", ""), name, "", "", ""};
  }

  void add(const Credentials& who, const std::string& enterprise_id, const std::string& login_name,
           const std::string& role) {
    Reply reply = call(verb::post, "/api/v1/enterprises/" + enterprise_id + "/members",
                       nlohmann::json{{"login", login_name}, {"role", role}}.dump(), who);
    EXPECT_EQ(reply.status, 201U) << reply.raw.body();
  }

  // fill gives target a member (with personal data to leak) and an app.
  void fill(const Credentials& who, Target& target, const std::string& login_name) {
    Reply member = call(verb::post, "/api/v1/enterprises/" + target.id + "/members",
                        nlohmann::json{{"login", login_name},
                                       {"name", "Victim " + login_name},
                                       {"password", "password-123"}}
                            .dump(),
                        who);
    EXPECT_EQ(member.status, 201U) << member.raw.body();
    target.user_id = member.body["user"].value("id", "");
    target.user_login = login_name;
    Reply app = call(verb::post, "/api/v1/enterprises/" + target.id + "/apps",
                     R"({"name":"Victim Bot","scopes":["enterprise:read"]})", who);
    EXPECT_EQ(app.status, 201U) << app.raw.body();
    target.app_id = app.body["app"].value("id", "");
  }

  Credentials make_app(const Credentials& who, const std::string& enterprise_id,
                       const std::vector<std::string>& scopes) {
    Reply app = call(verb::post, "/api/v1/enterprises/" + enterprise_id + "/apps",
                     nlohmann::json{{"name", "Caller Bot"}, {"scopes", scopes}}.dump(), who);
    EXPECT_EQ(app.status, 201U) << app.raw.body();
    Credentials creds;
    creds.app_id = app.body["app"].value("id", "");
    creds.app_secret = app.body.value("secret", "");
    return creds;
  }

  static std::string path_for(const Endpoint& e, const Target& t) {
    return replace_all(replace_all(replace_all(e.path, "{id}", t.id), "{user_id}", t.user_id),
                       "{app_id}", t.app_id);
  }

  // expect_denied calls e on t as who, expecting status and code, with no change and no leak.
  void expect_denied(const char* who_name, const Credentials& who, const Endpoint& e,
                     const Target& t, unsigned status, const std::string& code) {
    const std::string before = snapshot();
    const std::string path = path_for(e, t);
    Reply reply = call(e.method, path, e.body, who);
    const std::string what = std::string(who_name) + " " +
                             std::string(boost::beast::http::to_string(e.method)) + " " + e.path;
    EXPECT_EQ(reply.status, status) << what << ": " << reply.raw.body();
    EXPECT_EQ(reply.code(), code) << what;
    EXPECT_EQ(snapshot(), before) << what << " changed something";
    for (const std::string& secret : {t.name, t.user_login, std::string("Victim")}) {
      EXPECT_EQ(reply.raw.body().find(secret), std::string::npos) << what << " leaked " << secret;
    }
  }

  Credentials owner_r_, owner_a_, owner_b_, member_a_, owner_x_, app_b_, read_app_a_;
  Target root_, a_, b_, x_;
};

TEST_P(IsolationTest, NoCredentials) {
  for (const Endpoint& e : endpoints()) {
    expect_denied("anonymous", {}, e, a_, 401, "unauthorized");
  }
}

TEST_P(IsolationTest, OtherTenant) {
  for (const Endpoint& e : endpoints()) {
    expect_denied("other tenant", owner_x_, e, a_, 404, "not_found");
  }
}

TEST_P(IsolationTest, SubsidiaryReachingItsParent) {
  for (const Endpoint& e : endpoints()) {
    expect_denied("subsidiary owner", owner_a_, e, root_, 404, "not_found");
  }
}

TEST_P(IsolationTest, Sibling) {
  for (const Endpoint& e : endpoints()) {
    expect_denied("sibling owner", owner_b_, e, a_, 404, "not_found");
    expect_denied("sibling app", app_b_, e, a_, 404, "not_found");
  }
}

TEST_P(IsolationTest, InsufficientRoleOrScope) {
  for (const Endpoint& e : endpoints()) {
    if (!e.member_may) {
      expect_denied("plain member", member_a_, e, a_, 403, "forbidden");
    }
    if (!e.read_scope_may) {
      expect_denied("read-only app", read_app_a_, e, a_, 403, "forbidden");
    }
  }
}

TEST_P(IsolationTest, ObjectIdsOfAnotherTenantReadAsNotFound) {
  // The right enterprise in the path, but a member / app id that belongs elsewhere.
  Target mixed = a_;
  mixed.user_id = b_.user_id;
  mixed.app_id = b_.app_id;
  for (const Endpoint& e : endpoints()) {
    if (e.path.find("{user_id}") != std::string::npos ||
        e.path.find("{app_id}") != std::string::npos) {
      const std::string before = snapshot();
      Reply reply = call(e.method, path_for(e, mixed), e.body, owner_a_);
      EXPECT_EQ(reply.status, 404U) << e.path << ": " << reply.raw.body();
      EXPECT_EQ(snapshot(), before);
    }
  }
}

TEST_P(IsolationTest, TheRightCallersSucceed) {
  // The matrix would pass vacuously if every call failed: the parent reaches its subsidiary.
  for (const Endpoint& e : endpoints()) {
    Reply reply = call(e.method, path_for(e, a_), e.body, owner_r_);
    EXPECT_LT(reply.status, 300U) << e.path << ": " << reply.raw.body();
  }
}

TEST_P(IsolationTest, AccountEndpointsNeedASession) {
  for (const auto& [method, path] : std::vector<std::pair<verb, std::string>>{
           {verb::get, "/api/v1/me"},
           {verb::post, "/api/v1/auth/logout"},
           {verb::get, "/api/v1/roles"},
           {verb::get, "/api/v1/enterprises"},
           {verb::post, "/api/v1/enterprises"}}) {
    Reply reply = call(method, path, method == verb::post ? std::optional<std::string>("{}")
                                                          : std::nullopt);
    EXPECT_EQ(reply.status, 401U) << path;
  }
  // An app may not use the session-only routes.
  Reply me = call(verb::get, "/api/v1/me", std::nullopt, read_app_a_);
  EXPECT_EQ(me.status, 403U);
  Reply create = call(verb::post, "/api/v1/enterprises", R"({"name":"By App"})", read_app_a_);
  EXPECT_EQ(create.status, 403U);
}

INSTANTIATE_TEST_SUITE_P(Engines, IsolationTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

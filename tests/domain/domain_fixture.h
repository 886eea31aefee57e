#pragma once

// A migrated database per test case on each engine, Services with a fixed clock, cheap Argon2
// parameters and the sandbox SMS and e-mail providers (messages land in the sandbox outbox), and
// helpers to make users and enterprises.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "pactum/adapters/sms/sandbox_sms_sender.h"
#include "pactum/adapters/smtp/sandbox_email_sender.h"
#include "pactum/domain/accounts.h"
#include "pactum/domain/intent/schema.h"
#include "pactum/domain/messaging/outbox.h"
#include "pactum/domain/schema.h"
#include "pactum/domain/services.h"
#include "pactum/domain/tenancy.h"
#include "pii_for_test.h"
#include "store/store_test_support.h"

namespace pactum::testing {

inline constexpr domain::Argon2Parameters kCheapArgon2{
    .memory_kib = 1024, .iterations = 1, .parallelism = 1};

class DomainTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    database_ = TestDatabase::create(GetParam());
    ASSERT_TRUE(database_);
    auto migrated = domain::migrate_domain(database_->database());
    ASSERT_TRUE(migrated) << migrated.error().message;
    ASSERT_TRUE(domain::messaging::migrate_messaging(database_->database()));
    ASSERT_TRUE(domain::intent::migrate_intent(database_->database()));
    pii_ = make_pii_cipher_for_test();
    ASSERT_TRUE(pii_);
    // The node started long before the fixture's clock: no request is "from before the start".
    nonces_ = domain::make_nonce_store(database_->database(), 0);
    services_.emplace(domain::Services{.database = database_->database(),
                                       .pii = *pii_,
                                       .nonces = *nonces_,
                                       .app_cache = app_cache_,
                                       .lineages = lineages_,
                                       .hasher = domain::PasswordHasher(kCheapArgon2),
                                       .throttle = {},
                                       .clock = [this] { return now_; }});
    sandbox_sms_ = std::make_unique<adapters::sms::SandboxSmsSender>(database_->database(), *pii_,
                                                                     [this] { return now_; });
    sandbox_email_ = std::make_unique<adapters::smtp::SandboxEmailSender>(
        database_->database(), *pii_, [this] { return now_; });
    messaging_ = {sandbox_sms_.get(), sandbox_email_.get(), true};
    services_->messaging = &messaging_;
  }

  void TearDown() override {
    services_.reset();
    sandbox_sms_.reset();
    sandbox_email_.reset();
    nonces_.reset();
    database_.reset();
  }

  const domain::Services& services() { return *services_; }
  store::Database& database() { return database_->database(); }
  TestDatabase& test_database() { return *database_; }

  // sign_up makes a user and returns it as an Actor.
  domain::Actor user(const std::string& login, const std::string& name = "Test Person",
                     const std::string& password = "password-123") {
    auto made = domain::sign_up(services(), {login, name, password, std::nullopt}, origin_);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    domain::Actor actor;
    actor.id = made ? made->id : "";
    return actor;
  }

  // enterprise creates a top-level enterprise owned by owner.
  std::string enterprise(const domain::Actor& owner, const std::string& name) {
    auto made = domain::create_enterprise(services(), owner, name, origin_);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? made->id : "";
  }

  // subsidiary creates a subsidiary of parent by actor.
  std::string subsidiary(const domain::Actor& actor, const std::string& parent,
                         const std::string& name) {
    auto made = domain::create_subsidiary(services(), actor, parent, name, origin_);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? made->id : "";
  }

  // join adds an existing user to an enterprise with role, done by actor.
  void join(const domain::Actor& actor, const std::string& enterprise_id,
            const std::string& login, domain::Role role) {
    domain::NewMember member;
    member.login = login;
    member.role = role;
    auto added = domain::add_member(services(), actor, enterprise_id, member, origin_);
    EXPECT_TRUE(added) << (added ? "" : added.error().message);
  }

  // outbox returns the sandbox outbox's messages to `to`, newest first.
  std::vector<domain::messaging::OutboxEntry> outbox(const std::string& to) {
    auto lease = database().acquire();
    EXPECT_TRUE(lease);
    auto entries = domain::messaging::list_outbox(**lease, services().pii, to);
    EXPECT_TRUE(entries) << (entries ? "" : entries.error().message);
    return entries.value_or(std::vector<domain::messaging::OutboxEntry>{});
  }

  // count returns SELECT COUNT(*) of a table (names are ours, never input).
  std::int64_t count(const std::string& table) {
    auto lease = database().acquire();
    EXPECT_TRUE(lease);
    auto row = (*lease)->query_one("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(row);
    return row ? row->int64(0).value_or(-1) : -1;
  }

  std::chrono::system_clock::time_point now_ = domain::from_unix_seconds(1767225600);
  domain::Origin origin_{"192.0.2.1"};

 private:
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<domain::PiiCipher> pii_;
  std::unique_ptr<domain::NonceStore> nonces_;
  domain::ApiAppCache app_cache_;
  domain::LineageCache lineages_;
  std::optional<domain::Services> services_;
  std::unique_ptr<domain::messaging::SmsSender> sandbox_sms_;
  std::unique_ptr<domain::messaging::EmailSender> sandbox_email_;
  domain::messaging::Messaging messaging_;
};

// expect_refused checks that result failed with code.
template <typename R>
void expect_refused(const R& result, domain::DomainErrorCode code, const char* what = "") {
  ASSERT_FALSE(result.has_value()) << what;
  EXPECT_EQ(domain::domain_error_code_name(result.error().code),
            domain::domain_error_code_name(code))
      << what << ": " << result.error().message;
}

}  // namespace pactum::testing

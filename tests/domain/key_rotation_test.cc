// Master-key rotation of personal data on both engines: users (sealed login, name and ID number,
// login blind index) and API app secrets stay readable and findable before, during (a re-seal
// stopped midway, as if killed) and after the re-seal, and after the old key is retired.

#include "pactum/domain/key_rotation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain_fixture.h"
#include "pactum/crypto/keyring.h"
#include "pactum/domain/accounts.h"
#include "pactum/domain/api_apps.h"
#include "pactum/domain/crypto_pii_cipher.h"
#include "pactum/domain/pii_fields.h"
#include "pactum/domain/reloading_pii_cipher.h"
#include "pactum/domain/request_signature.h"
#include "test_files.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;

struct Person {
  std::string login;  // as typed at log-in
  std::string id_number;
};

class KeyRotationTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    database_ = TestDatabase::create(GetParam());
    ASSERT_TRUE(database_);
    ASSERT_TRUE(domain::migrate_domain(database_->database()));
    auto keyring = crypto::Keyring::create(fresh_temp_dir("pactum_domain") + "/master.key");
    ASSERT_TRUE(keyring) << keyring.error().describe();
    keyring_ = std::make_unique<crypto::Keyring>(std::move(*keyring));
    reload_cipher();
  }

  // reload_cipher rebuilds the cipher and services from the keyring, as a restarted server does.
  void reload_cipher() {
    composition_.reset();
    services_ = nullptr;
    pii_.reset();
    auto cipher = crypto::PiiCipher::create(*keyring_);
    ASSERT_TRUE(cipher);
    cipher_ = std::make_unique<crypto::PiiCipher>(std::move(*cipher));
    pii_ = std::make_unique<domain::CryptoPiiCipher>(*cipher_);
    // A restarted server's caches start empty, so the app's secret is unsealed again.
    composition_ = compose(*pii_);
    services_ = &composition_->services();
  }

  // compose builds a server's services over pii through the node's composition root, with the
  // test's clock and cheap Argon2.
  std::unique_ptr<node::Composition> compose(const domain::PiiCipher& pii) {
    auto built = node::Composition::build({.database = database_->database(),
                                           .pii = pii,
                                           .clock = [this] { return now_; },
                                           .argon2 = kCheapArgon2,
                                           .started_at = 0});
    EXPECT_TRUE(built) << built.error().describe();
    return built ? std::move(*built) : nullptr;
  }

  void sign_up_people(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      const bool phone = i % 2 == 0;
      Person person{phone ? fmt::format("1380013{:04}", i) : fmt::format("p{}@example.com", i),
                    fmt::format("11010519491231{:04}", i)};
      auto made = domain::sign_up(
          *services_, {person.login, fmt::format("Person {}", i), "password-123", person.id_number},
          origin_);
      ASSERT_TRUE(made) << made.error().message;
      ids_.push_back(made->id);
      people_.push_back(person);
    }
  }

  // expect_all_readable logs every person in (found by the blind index), opens their name and
  // ID number, and authenticates a request of the API app (its secret opens).
  void expect_all_readable(const char* when) {
    for (std::size_t i = 0; i < people_.size(); ++i) {
      auto session = domain::log_in(*services_, people_[i].login, "password-123", origin_);
      ASSERT_TRUE(session) << when << ": " << people_[i].login << ": " << session.error().message;
      EXPECT_EQ(session->user.id, ids_[i]);
      EXPECT_EQ(session->user.name, fmt::format("Person {}", i)) << when;
      auto lease = database_->database().acquire();
      ASSERT_TRUE(lease);
      auto row = (*lease)->query_one("SELECT id_number_sealed FROM users WHERE id = ?", {ids_[i]});
      ASSERT_TRUE(row);
      auto opened = cipher_->decrypt(row->blob(0).value(), domain::kUserIdNumberField);
      ASSERT_TRUE(opened) << when << ": " << opened.error().message;
      EXPECT_EQ(*opened, people_[i].id_number);
    }
    if (app_) {
      // The parts are views: the strings they show must outlive them.
      const std::string path = "/api/v1/enterprises/" + enterprise_;
      const std::string timestamp = std::to_string(unix_seconds(now_));
      const std::string nonce = fmt::format("nonce-{:012}", ++nonce_);
      const domain::SignedRequestParts parts{.method = "GET",
                                             .path = path,
                                             .raw_query = "",
                                             .timestamp = timestamp,
                                             .nonce = nonce,
                                             .body = ""};
      auto signature = domain::sign_request(app_->secret, parts);
      ASSERT_TRUE(signature);
      auto actor = domain::authenticate_app_request(*services_, app_->app.id, parts, *signature);
      EXPECT_TRUE(actor) << when << ": " << (actor ? "" : actor.error().message);
    }
  }

  void make_app() {
    domain::Actor owner;
    owner.id = ids_.front();
    auto made = domain::create_enterprise(*services_, owner, "Rotating Co", origin_);
    ASSERT_TRUE(made);
    enterprise_ = made->id;
    auto app = domain::create_api_app(*services_, owner, enterprise_, "Robot",
                                      {domain::ApiScope::kEnterpriseRead}, origin_);
    ASSERT_TRUE(app) << app.error().message;
    app_ = *app;
  }

  std::size_t under(const std::string& key_id) {
    auto count = domain::count_personal_data_under(database_->database(), key_id);
    EXPECT_TRUE(count) << count.error().describe();
    return count.value_or(0);
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<crypto::PiiCipher> cipher_;
  std::unique_ptr<domain::CryptoPiiCipher> pii_;
  std::unique_ptr<node::Composition> composition_;
  const domain::Services* services_ = nullptr;
  std::vector<std::string> ids_;
  std::vector<Person> people_;
  std::optional<domain::ApiAppCredentials> app_;
  std::string enterprise_;
  int nonce_ = 0;
  std::chrono::system_clock::time_point now_ = from_unix_seconds(1767225600);
  domain::Origin origin_{"192.0.2.1"};
};

TEST_P(KeyRotationTest, StoppedMidwayResumedAndRetired) {
  sign_up_people(9);
  make_app();
  const std::string old_key = keyring_->current_id();
  expect_all_readable("before rotation");
  EXPECT_EQ(under(old_key), 10U);

  auto new_key = keyring_->rotate();
  ASSERT_TRUE(new_key);
  reload_cipher();
  expect_all_readable("rotated, nothing resealed");

  // Killed after the second batch of 2 users: 4 users moved, 5 users and the app not.
  auto stopped = domain::reseal_personal_data(database_->database(), *cipher_, 2,
                                              [](const domain::ResealProgress& progress) -> Status {
                                                if (progress.batches == 2) {
                                                  return fail(ErrorCode::kUnavailable, "killed");
                                                }
                                                return {};
                                              });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "killed");
  EXPECT_EQ(under(*new_key), 4U);
  EXPECT_EQ(under(old_key), 6U);
  expect_all_readable("midway");

  // A login already taken under the old key's index is still taken.
  auto duplicate =
      domain::sign_up(*services_, {people_[8].login, "Copy", "password-123", {}}, origin_);
  expect_refused(duplicate, DomainErrorCode::kConflict,
                 "sign-up of a login indexed under the old key");

  // Retiring now would make 6 rows unreadable; the count says so.
  auto resumed = domain::reseal_personal_data(database_->database(), *cipher_, 2);
  ASSERT_TRUE(resumed) << resumed.error().describe();
  EXPECT_EQ(resumed->users, 5U);
  EXPECT_EQ(resumed->apps, 1U);
  EXPECT_EQ(under(old_key), 0U);
  EXPECT_EQ(under(*new_key), 10U);
  expect_all_readable("resealed, old key still held");

  ASSERT_TRUE(keyring_->retire(old_key));
  reload_cipher();
  expect_all_readable("old key retired");

  auto again = domain::reseal_personal_data(database_->database(), *cipher_, 3);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->users + again->apps, 0U) << "a second run finds nothing to do";
}

TEST_P(KeyRotationTest, AccountsMadeByAStaleServerAreResealedToo) {
  sign_up_people(3);
  const std::string old_key = keyring_->current_id();
  // A server still holding only the old key keeps signing people up during the re-seal.
  auto stale = crypto::PiiCipher::create(*keyring_);
  ASSERT_TRUE(stale);
  ASSERT_TRUE(keyring_->rotate());
  reload_cipher();
  ASSERT_TRUE(domain::reseal_personal_data(database_->database(), *cipher_, 100));
  const domain::CryptoPiiCipher stale_pii(*stale);
  const auto stale_composition = compose(stale_pii);
  ASSERT_TRUE(stale_composition);
  const domain::Services& stale_services = stale_composition->services();
  auto late =
      domain::sign_up(stale_services, {"late@example.com", "Late", "password-123", "X1"}, origin_);
  ASSERT_TRUE(late) << late.error().message;
  ids_.push_back(late->id);
  people_.push_back({"late@example.com", "X1"});
  EXPECT_EQ(under(old_key), 1U) << "retiring now would lose it";
  auto resealed = domain::reseal_personal_data(database_->database(), *cipher_, 100);
  ASSERT_TRUE(resealed);
  EXPECT_EQ(resealed->users, 1U);
  EXPECT_EQ(under(old_key), 0U);
  ASSERT_TRUE(keyring_->retire(old_key));
  reload_cipher();
  // Names were "Person i" for the first three; the late one is checked on its own.
  auto session = domain::log_in(*services_, "late@example.com", "password-123", origin_);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user.name, "Late");
  people_.pop_back();
  ids_.pop_back();
  expect_all_readable("after retiring");
}

TEST_P(KeyRotationTest, ALockOutOutlivesTheRotation) {
  sign_up_people(2);
  for (int i = 0; i < 5; ++i) {
    expect_refused(domain::log_in(*services_, people_[1].login, "wrong-password", origin_),
                   DomainErrorCode::kUnauthenticated);
  }
  expect_refused(domain::log_in(*services_, people_[1].login, "password-123", origin_),
                 DomainErrorCode::kLocked, "locked before the rotation");
  ASSERT_TRUE(keyring_->rotate());
  reload_cipher();
  ASSERT_TRUE(domain::reseal_personal_data(database_->database(), *cipher_, 10));
  expect_refused(domain::log_in(*services_, people_[1].login, "password-123", origin_),
                 DomainErrorCode::kLocked, "still locked after the rotation");
  // Another origin, so the address limit is not what refuses; the other account is unaffected.
  EXPECT_TRUE(domain::log_in(*services_, people_[0].login, "password-123", {"192.0.2.99"}));
}

TEST_P(KeyRotationTest, RefusesAZeroBatch) {
  auto refused = domain::reseal_personal_data(database_->database(), *cipher_, 0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

// A running server's cipher follows `pactum keys` in another process: it finds and opens rows
// re-sealed under a key made after it started, seals under the new current key, and drops a
// retired one.
TEST_P(KeyRotationTest, ARunningServerFollowsTheKeyringFile) {
  sign_up_people(4);
  const std::string old_key = keyring_->current_id();
  auto server_pii = domain::ReloadingPiiCipher::create(keyring_->path());
  ASSERT_TRUE(server_pii) << server_pii.error().describe();
  const auto server_composition = compose(**server_pii);
  ASSERT_TRUE(server_composition);
  const domain::Services& server = server_composition->services();
  ASSERT_TRUE(domain::log_in(server, people_[0].login, "password-123", origin_));

  // Another process rotates and re-seals everything.
  auto other = crypto::Keyring::load(keyring_->path());
  ASSERT_TRUE(other);
  auto new_key = other->rotate();
  ASSERT_TRUE(new_key);
  auto other_cipher = crypto::PiiCipher::create(*other);
  ASSERT_TRUE(other_cipher);
  ASSERT_TRUE(domain::reseal_personal_data(database_->database(), *other_cipher, 3));
  EXPECT_EQ(under(old_key), 0U);
  for (const Person& person : people_) {
    auto session = domain::log_in(server, person.login, "password-123", origin_);
    EXPECT_TRUE(session) << person.login << ": " << (session ? "" : session.error().message);
  }
  auto late = domain::sign_up(server, {"late@example.com", "Late", "password-123", {}}, origin_);
  ASSERT_TRUE(late);
  EXPECT_EQ(under(*new_key), 5U) << "the server sealed the new account under the new key";

  ASSERT_TRUE(other->retire(old_key));
  auto old_sealed = cipher_->encrypt("sealed before", domain::kUserNameField);  // old key only
  ASSERT_TRUE(old_sealed);
  auto refused = (*server_pii)->open(domain::kUserNameField, *old_sealed);
  ASSERT_FALSE(refused) << "a retired key is dropped";
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(domain::log_in(server, "late@example.com", "password-123", origin_));
}

INSTANTIATE_TEST_SUITE_P(Engines, KeyRotationTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing

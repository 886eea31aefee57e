// PlatformPki: one directory with CA, TSA, CRL and OCSP; create/open, key sealing, concurrent
// time-stamp serials, and changes by other processes (the CLI beside a running server).

#include "pactum/pki/platform_pki.h"
#include "pactum/crypto/revocation_check.h"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "pactum/crypto/digest.h"
#include "pactum/pki/ocsp_responder.h"
#include "pactum/pki/tsa_client.h"
#include "pki_test_support.h"

namespace pactum::pki {
namespace {

using namespace pactum::pki::testing;
using std::chrono::system_clock;

// XorSealer is a stand-in for a master-key sealer: it changes the bytes (so no PEM key is left
// on disk) and checks the label, which is all PlatformPki may rely on.
class XorSealer final : public crypto::KeySealer {
 public:
  [[nodiscard]] std::string_view kind() const override { return "test-xor"; }
  [[nodiscard]] std::string_view file_extension() const override { return "sealed"; }
  [[nodiscard]] Result<Bytes> seal(ByteView key_pem, std::string_view label) const override {
    Bytes out(label.begin(), label.end());
    out.push_back(0);
    for (std::uint8_t b : key_pem) {
      out.push_back(static_cast<std::uint8_t>(b ^ 0x5A));
    }
    return out;
  }
  [[nodiscard]] Result<Bytes> open(ByteView sealed, std::string_view label) const override {
    if (sealed.size() <= label.size() || as_chars(sealed.first(label.size())) != label ||
        sealed[label.size()] != 0) {
      return fail(ErrorCode::kCrypto, "sealed under another label");
    }
    Bytes out;
    for (std::uint8_t b : sealed.subspan(label.size() + 1)) {
      out.push_back(static_cast<std::uint8_t>(b ^ 0x5A));
    }
    return out;
  }
};

class PlatformPkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fresh_temp_dir();
    dir_ = base_ + "/pki";
    now_ = judge_now();
  }

  Clock clock() const {
    return [this] { return now_.load(); };
  }

  PlatformPkiSettings settings() const {
    PlatformPkiSettings s;
    s.base_url = "http://127.0.0.1:9/";
    return s;
  }

  // create makes the PKI as of a day ago (so certificates may start an hour ago) and sets the
  // clock back to now.
  std::unique_ptr<PlatformPki> create(
      const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer()) {
    const auto now = now_.load();
    now_ = now - std::chrono::days(1);
    auto pki = create_platform_pki(dir_, settings(), clock(), sealer);
    now_ = now;
    EXPECT_TRUE(pki.has_value()) << (pki ? "" : pki.error().describe());
    return std::move(pki.value());
  }

  std::unique_ptr<PlatformPki> open(
      const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer()) {
    auto pki = open_platform_pki(dir_, clock(), sealer);
    EXPECT_TRUE(pki.has_value()) << (pki ? "" : pki.error().describe());
    return std::move(pki.value());
  }

  static crypto::Certificate issue_person(PlatformPki& pki) {
    const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
    auto cert = pki.issue(person_request(key, pki.now()));
    EXPECT_TRUE(cert.has_value()) << (cert ? "" : cert.error().describe());
    return std::move(cert.value());
  }

  TimeStampTrust trust(const PlatformPki& pki) const {
    return TimeStampTrust{{pki.root_certificate()}, {}, std::nullopt};
  }

  // judge_dir returns a directory for the openssl judges' files.
  std::string judge_dir() const {
    std::filesystem::create_directories(base_ + "/judge");
    return base_ + "/judge";
  }

  std::string base_;
  std::string dir_;
  std::atomic<system_clock::time_point> now_;
};

TEST_F(PlatformPkiTest, CreateThenOpenKeepsSettingsCertificatesAndUrls) {
  auto created = create();
  EXPECT_EQ(created->urls().base_url, "http://127.0.0.1:9");
  EXPECT_EQ(created->urls().ocsp_url, "http://127.0.0.1:9/pki/ocsp");
  const auto issued = issue_person(*created);
  const Bytes root = created->root_certificate().der();
  created.reset();

  auto opened = open();
  EXPECT_EQ(opened->urls().crl_url, "http://127.0.0.1:9/pki/crl");
  EXPECT_EQ(opened->root_certificate().der(), root);
  EXPECT_EQ(opened->status_of(issued.serial_hex()), CertificateStatus::kGood);
  EXPECT_EQ(opened->settings().tsa_policy_oid, std::string(kPactumTestTsaPolicy));
  // The TSA certificate comes from the issuing CA, is known to OCSP and chains to the root.
  EXPECT_EQ(opened->status_of(opened->tsa_certificate().serial_hex()), CertificateStatus::kGood);
  const std::string tmp = judge_dir();
  write_certificate(tmp + "/root.pem", opened->root_certificate());
  write_certificate(tmp + "/issuing.pem", opened->issuing_certificate());
  write_certificate(tmp + "/tsa.pem", opened->tsa_certificate());
  const auto verified =
      run_command("openssl verify -purpose timestampsign -CAfile " + tmp + "/root.pem -untrusted " +
                  tmp + "/issuing.pem " + tmp + "/tsa.pem");
  EXPECT_EQ(verified.exit_status, 0) << verified.output;
  const auto text = run_command("openssl x509 -noout -text -in " + tmp + "/tsa.pem");
  EXPECT_NE(text.output.find("X509v3 Extended Key Usage: critical"), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("http://127.0.0.1:9/pki/ocsp"), std::string::npos) << text.output;
}

TEST_F(PlatformPkiTest, CreateRefusesAnExistingPkiAndBadSettings) {
  create();
  auto again = create_platform_pki(dir_, settings(), clock());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);

  PlatformPkiSettings bad = settings();
  bad.base_url = "ftp://x";
  EXPECT_EQ(create_platform_pki(dir_ + "2", bad, clock()).error().code,
            ErrorCode::kInvalidArgument);
  bad = settings();
  bad.tsa_validity = std::chrono::days(100 * 365);
  EXPECT_EQ(create_platform_pki(dir_ + "3", bad, clock()).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "3/pki.json"));
}

TEST_F(PlatformPkiTest, OpenFailsClearlyWithoutAPkiOrWithDamagedSettings) {
  auto missing = open_platform_pki(dir_, clock());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  create();
  write_bytes(dir_ + "/pki.json", as_bytes("{\"format\":\"pactum-pki 1\"}"));
  auto damaged = open_platform_pki(dir_, clock());
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(damaged.error().code, ErrorCode::kMalformed);
}

TEST_F(PlatformPkiTest, AnUnfinishedCreateIsReplaced) {
  create();
  std::filesystem::remove(dir_ + "/pki.json");  // as if killed just before the last write
  auto again = create_platform_pki(dir_, settings(), clock());
  EXPECT_TRUE(again.has_value()) << (again ? "" : again.error().describe());
}

TEST_F(PlatformPkiTest, KeysGoThroughTheSealerAndTheSealerKindIsChecked) {
  const XorSealer sealer;
  const auto issued = issue_person(*create(sealer));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (entry.is_regular_file()) {
      const Bytes content = read_file(entry.path().string()).value();
      EXPECT_EQ(as_chars(content).find("PRIVATE KEY"), std::string_view::npos) << entry.path();
    }
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/ca/issuing.key.sealed"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/tsa/tsa.key.sealed"));

  auto wrong = open_platform_pki(dir_, clock());  // the plaintext sealer
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(wrong.error().message.find("test-xor"), std::string::npos);

  auto opened = open(sealer);
  EXPECT_EQ(opened->status_of(issued.serial_hex()), CertificateStatus::kGood);
  // The TSA key was unsealed correctly: its tokens verify.
  const Bytes digest = crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes("contract"));
  auto token = opened->tsa()->stamp(crypto::DigestAlgorithm::kSha256, digest);
  ASSERT_TRUE(token.has_value());
  EXPECT_TRUE(verify_timestamp_token(*token, crypto::DigestAlgorithm::kSha256, digest, std::nullopt,
                                     trust(*opened))
                  .has_value());
}

TEST_F(PlatformPkiTest, TimeStampSerialsStayUniqueUnderConcurrentRequestsAndReopening) {
  auto pki = create();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  const Bytes digest = crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes("serials"));
  const Bytes query =
      make_timestamp_query(crypto::DigestAlgorithm::kSha256, digest, true, std::nullopt).value();
  std::vector<std::vector<Bytes>> serials(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto response = pki->respond_timestamp(query);
        if (!response) {
          continue;
        }
        auto info = verify_timestamp_response(*response, query, trust(*pki));
        if (info) {
          serials[static_cast<std::size_t>(t)].push_back(info->serial);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<Bytes> unique;
  std::size_t total = 0;
  for (const auto& list : serials) {
    total += list.size();
    unique.insert(list.begin(), list.end());
  }
  EXPECT_EQ(total, std::size_t{kThreads * kPerThread});
  EXPECT_EQ(unique.size(), total);

  pki.reset();
  auto reopened = open();
  auto info = verify_timestamp_response(reopened->respond_timestamp(query).value(), query,
                                        trust(*reopened));
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_FALSE(unique.contains(info->serial));
}

TEST_F(PlatformPkiTest, TheDirectoryLockExcludesOtherHolders) {
  create();
  {
    auto held = lock_pki_directory(dir_, true);
    ASSERT_TRUE(held.has_value());
    auto busy = lock_pki_directory(dir_, false);
    ASSERT_FALSE(busy.has_value());
    EXPECT_EQ(busy.error().code, ErrorCode::kRefused);
  }
  EXPECT_TRUE(lock_pki_directory(dir_, false).has_value());
}

TEST_F(PlatformPkiTest, ProcessesIssuingAtOnceLoseNoRecord) {
  create();
  constexpr int kChildren = 3;
  constexpr int kEach = 8;
  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto pki = open_platform_pki(dir_, clock());
      int ok = pki.has_value() ? 0 : 1;
      for (int i = 0; ok == 0 && i < kEach; ++i) {
        const auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
        ok = (*pki)->issue(person_request(key, now_.load())).has_value() ? 0 : 1;
      }
      ::_exit(ok);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  // Every record survived: the TSA certificate plus each child's certificates.
  auto index = CaIndex::load(dir_ + "/ca/index.txt");
  ASSERT_TRUE(index.has_value()) << index.error().describe();
  EXPECT_EQ(index->size(), std::size_t{1 + kChildren * kEach});
}

TEST_F(PlatformPkiTest, ARevocationByAnotherInstanceReachesOcspAndTheCrl) {
  auto server = create();
  const auto cert = issue_person(*server);
  auto first_crl = server->current_crl();
  ASSERT_TRUE(first_crl.has_value());
  EXPECT_EQ(server->current_crl().value(), *first_crl);  // served from the cache

  const Bytes good = server->ocsp_response_for(cert).value();
  {
    auto cli = open();  // what `pactum ca revoke` does beside a running pactumd
    ASSERT_TRUE(cli->revoke(cert.serial_hex(), RevocationReason::kKeyCompromise).has_value());
    EXPECT_EQ(cli->revoke(cert.serial_hex(), RevocationReason::kKeyCompromise).error().code,
              ErrorCode::kRefused);
    EXPECT_EQ(cli->revoke("abcd", RevocationReason::kKeyCompromise).error().code,
              ErrorCode::kNotFound);
  }
  EXPECT_EQ(server->status_of(cert.serial_hex()), CertificateStatus::kRevoked);

  auto crl = server->current_crl();
  ASSERT_TRUE(crl.has_value());
  EXPECT_NE(*crl, *first_crl);
  EXPECT_GT((*crl)->number, (*first_crl)->number);
  const std::string tmp = judge_dir();
  write_bytes(tmp + "/crl.der", (*crl)->der);
  write_certificate(tmp + "/issuing.pem", server->issuing_certificate());
  write_certificate(tmp + "/root.pem", server->root_certificate());
  const auto listed = run_command("openssl crl -inform DER -in " + tmp + "/crl.der -noout -text");
  EXPECT_NE(listed.output.find("Key Compromise"), std::string::npos) << listed.output;

  const Bytes revoked = server->ocsp_response_for(cert).value();
  write_bytes(tmp + "/good.ocsp", good);
  write_bytes(tmp + "/revoked.ocsp", revoked);
  write_certificate(tmp + "/ee.pem", cert);
  const std::string judge = "openssl ocsp -issuer " + tmp + "/issuing.pem -cert " + tmp +
                            "/ee.pem -CAfile " + tmp + "/root.pem -no_nonce -respin ";
  const auto said_good = run_command(judge + tmp + "/good.ocsp");
  EXPECT_NE(said_good.output.find(": good"), std::string::npos) << said_good.output;
  const auto said_revoked = run_command(judge + tmp + "/revoked.ocsp");
  EXPECT_NE(said_revoked.output.find(": revoked"), std::string::npos) << said_revoked.output;
  EXPECT_NE(said_revoked.output.find("keyCompromise"), std::string::npos) << said_revoked.output;
}

TEST_F(PlatformPkiTest, TheCrlIsRemadeWhenHalfItsLifetimeHasPassed) {
  auto pki = create();
  auto first = pki->current_crl().value();
  now_ = now_.load() + pki->settings().crl_lifetime / 2 + std::chrono::seconds(1);
  auto second = pki->current_crl().value();
  EXPECT_NE(first, second);
  EXPECT_EQ(second->number, first->number + 1);
}

TEST_F(PlatformPkiTest, TheRootCrlIsTheStoredOneSignedByTheRootAndOnlyAnOperatorRenewsIt) {
  auto pki = create();
  auto first = pki->current_root_crl().value();
  auto checked = crypto::check_crl(first->der, pki->issuing_certificate(), pki->root_certificate());
  ASSERT_TRUE(checked) << checked.error().describe();
  EXPECT_EQ(checked->state, crypto::RevocationState::kGood);
  // Serving never signs: however much time passes, the stored CRL is what is served.
  now_ = now_.load() + pki->settings().crl_lifetime * 2;
  EXPECT_EQ(pki->current_root_crl().value()->der, first->der);
  auto renewed = pki->issue_root_crl(crypto::plaintext_pem_sealer());
  ASSERT_TRUE(renewed.has_value()) << renewed.error().describe();
  EXPECT_EQ((*renewed)->number, first->number + 1);
  EXPECT_EQ((*renewed)->this_update, now_.load());
  // Another process (a second PlatformPki on the directory) serves the renewed one.
  auto other = open_platform_pki(dir_, clock()).value();
  EXPECT_EQ(other->current_root_crl().value()->der, (*renewed)->der);
}

TEST_F(PlatformPkiTest, OcspAnswersGarbageWithMalformedRequestAndOthersIssuersNotAtAll) {
  auto pki = create();
  const Bytes answer = pki->respond_ocsp(as_bytes("not DER")).value();
  const unsigned char* p = answer.data();
  const crypto::UniquePtr<OCSP_RESPONSE> response(
      d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(answer.size())));
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(OCSP_response_status(response.get()), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
  EXPECT_EQ(pki->ocsp_response_for(pki->root_certificate()).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace pactum::pki

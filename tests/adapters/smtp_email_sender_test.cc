// E-mail over SMTP against a real SMTP server the test starts (aiosmtpd, tests/support/
// smtp_sink.py): STARTTLS with a verified certificate, AUTH, Chinese and English text intact as
// Python's email package reads it, and each failure mapped for fail-over.

#include "pactum/adapters/smtp/smtp_email_sender.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "pactum/domain/messaging/failover.h"
#include "test_files.h"

extern char** environ;

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;
using adapters::smtp::SmtpEmailSender;
using adapters::smtp::SmtpSettings;
using domain::messaging::OutgoingMessage;
using domain::messaging::SendFailure;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));

class SmtpServer {
 public:
  SmtpServer() : dir_(fresh_temp_dir("pactum_smtp")) {
    fs::create_directories(dir_ + "/mail");
    const std::string make_cert =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
        "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
    if (std::system(make_cert.c_str()) != 0) {  // NOLINT: a test helper
      return;
    }
    const std::string script = std::string(PACTUM_SOURCE_DIR) + "/tests/support/smtp_sink.py";
    std::vector<std::string> args = {"/usr/bin/python3", script,         dir_ + "/cert.pem",
                                     dir_ + "/key.pem",  dir_ + "/mail", dir_ + "/port"};
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 200 && !fs::exists(dir_ + "/port"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream in(dir_ + "/port");
    in >> port_;
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string ca_file() const { return dir_ + "/cert.pem"; }

  // messages returns every stored message, oldest first.
  [[nodiscard]] std::vector<nlohmann::json> messages() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_ + "/mail")) {
      if (entry.path().extension() == ".json") {
        names.push_back(entry.path().string());
      }
    }
    std::sort(names.begin(), names.end());
    std::vector<nlohmann::json> out;
    for (const auto& name : names) {
      std::ifstream in(name);
      out.push_back(nlohmann::json::parse(in));
    }
    return out;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

class SmtpEmailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GT(server_.port(), 0) << "the SMTP server did not start"; }

  SmtpSettings settings() const {
    SmtpSettings s;
    s.name = "test";
    s.url = server_.url();
    s.from = "noreply@pactum.test";
    s.from_name = "Pactum 签约";
    s.username = "pactum";
    s.password = "smtp-pass";
    s.ca_file = server_.ca_file();
    s.timeout = std::chrono::milliseconds(5000);
    return s;
  }

  static OutgoingMessage message(const std::string& to = "zhangsan@example.com") {
    return {domain::messaging::Channel::kEmail,
            to,
            "【Pactum】签署验证码 / signing code",
            "您的验证码 042917，5 分钟内有效。\nYour code is "
            "042917.\n签署链接：https://pactum.test/s/t",
            "https://pactum.test/s/t",
            "042917"};
  }

  SmtpServer server_;
};

TEST_F(SmtpEmailSenderTest, SendsOverStartTlsWithAuthAndTheTextArrivesIntact) {
  SmtpEmailSender sender(settings(), [] { return kNow; });
  auto sent = sender.send(message());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->provider, "smtp:test");
  EXPECT_EQ(sent->reference.size(), 32U);
  const auto messages = server_.messages();
  ASSERT_EQ(messages.size(), 1U);
  const auto& m = messages[0];
  EXPECT_EQ(m["mail_from"], "noreply@pactum.test");
  EXPECT_EQ(m["rcpt_tos"], nlohmann::json::array({"zhangsan@example.com"}));
  EXPECT_EQ(m["tls"], true);
  EXPECT_EQ(m["authenticated"], true);
  EXPECT_EQ(m["subject"], "【Pactum】签署验证码 / signing code");
  EXPECT_EQ(m["from"], "Pactum 签约 <noreply@pactum.test>");
  EXPECT_EQ(m["text"].get<std::string>(), message().text);
  EXPECT_EQ(m["raw"].get<std::string>().find("042917"), std::string::npos)
      << "the body travels base64-encoded";
  EXPECT_NE(m["raw"].get<std::string>().find("Date: Thu, 01 Jan 2026 00:00:00 +0000"),
            std::string::npos);
}

TEST_F(SmtpEmailSenderTest, AWrongPasswordIsAProviderFailure) {
  SmtpSettings s = settings();
  s.password = "wrong";
  SmtpEmailSender sender(s, [] { return kNow; });
  auto sent = sender.send(message());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kUnavailable) << sent.error().message;
  EXPECT_EQ(sent.error().message.find("wrong"), std::string::npos) << "no password in errors";
  EXPECT_TRUE(server_.messages().empty());
}

TEST_F(SmtpEmailSenderTest, ARefusedRecipientIsARefusal) {
  SmtpEmailSender sender(settings(), [] { return kNow; });
  auto sent = sender.send(message("refused@example.com"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kRefused) << sent.error().message;
}

TEST_F(SmtpEmailSenderTest, AnUntrustedCertificateIsRefused) {
  SmtpSettings s = settings();
  s.ca_file = std::string(PACTUM_SOURCE_DIR) + "/tests/support/does-not-exist.pem";
  SmtpEmailSender sender(s, [] { return kNow; });
  auto sent = sender.send(message());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kUnavailable);
  EXPECT_TRUE(server_.messages().empty());
}

TEST_F(SmtpEmailSenderTest, WithoutStartTlsTheServerRefusesAndNothingIsSent) {
  SmtpSettings s = settings();
  s.starttls = false;
  s.username.clear();
  s.password.clear();
  SmtpEmailSender sender(s, [] { return kNow; });
  auto sent = sender.send(message());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().failure, SendFailure::kUnavailable) << sent.error().message;
  EXPECT_TRUE(server_.messages().empty());
}

TEST_F(SmtpEmailSenderTest, FailOverFromADeadServerToTheLiveOne) {
  SmtpSettings dead = settings();
  dead.name = "dead";
  dead.url = "smtp://127.0.0.1:1";
  std::vector<std::unique_ptr<domain::messaging::EmailSender>> providers;
  providers.push_back(std::make_unique<SmtpEmailSender>(dead, [] { return kNow; }));
  providers.push_back(std::make_unique<SmtpEmailSender>(settings(), [] { return kNow; }));
  domain::messaging::FailoverEmailSender failover(std::move(providers));
  auto sent = failover.send(message());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->provider, "smtp:test");
  EXPECT_EQ(server_.messages().size(), 1U);
}

TEST(SmtpSettings, AreValidated) {
  const nlohmann::json good = {{"kind", "smtp"},
                               {"name", "main"},
                               {"url", "smtp://mail.example.com:587"},
                               {"from", "noreply@example.com"},
                               {"username", "u"},
                               {"password", "p"},
                               {"timeout_ms", 3000}};
  auto parsed = adapters::smtp::parse_smtp_settings(good);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->starttls);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"url", "http://x"},
                                                           {"from", "nobody"},
                                                           {"from", "a@b\r\nBcc: x@y"},
                                                           {"starttls", "yes"},
                                                           {"timeout_ms", 1},
                                                           {"password", ""},
                                                           {"other", 1}}) {
    nlohmann::json bad = good;
    bad[key] = value;
    EXPECT_FALSE(adapters::smtp::parse_smtp_settings(bad)) << key << "=" << value.dump();
  }
}

}  // namespace
}  // namespace pactum::testing

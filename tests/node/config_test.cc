#include "pactum/node/config.h"

#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_files.h"

namespace pactum::node {
namespace {

using namespace std::chrono_literals;

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() : dir_(testing::fresh_temp_dir("pactum_http")) {}

  std::string write_file(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  ConfigSources sources() {
    ConfigSources result;
    result.env = [this](std::string_view name) -> std::optional<std::string> {
      const auto found = env_.find(std::string(name));
      if (found == env_.end()) {
        return std::nullopt;
      }
      return found->second;
    };
    return result;
  }

  // error_of returns the failure message, or "" if loading succeeded.
  static std::string error_of(const Result<Config>& loaded) {
    return loaded ? std::string() : loaded.error().message;
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, DataDirAloneGivesTheDefaults) {
  ConfigSources in = sources();
  in.data_dir = "/srv/pactum";
  const Result<Config> loaded = load_config(in);
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->data_dir, "/srv/pactum");
  EXPECT_EQ(loaded->listen.host, "127.0.0.1");
  EXPECT_EQ(loaded->listen.port, 8080);
  EXPECT_EQ(loaded->threads, 0U);
  EXPECT_FALSE(loaded->tls);
  EXPECT_EQ(loaded->header_limit, 8192U);
  EXPECT_EQ(loaded->body_limit, 1048576U);
  EXPECT_EQ(loaded->read_timeout, 30s);
  EXPECT_EQ(loaded->log_level, http::LogLevel::kInfo);
  EXPECT_TRUE(loaded->access_log);
}

TEST_F(ConfigTest, NoDataDirIsAnError) {
  const std::string message = error_of(load_config(sources()));
  EXPECT_NE(message.find("no data directory"), std::string::npos) << message;
}

TEST_F(ConfigTest, FileThenEnvironmentThenCommandLine) {
  const std::string cert = write_file("cert.pem", "x");
  const std::string key = write_file("key.pem", "x");
  ConfigSources in = sources();
  in.file = write_file("pactumd.json",
                       nlohmann::json{
                           {"listen", "0.0.0.0:9000"},
                           {"data_dir", "/from/file"},
                           {"threads", 3},
                           {"tls", {{"cert", cert}, {"key", key}}},
                           {"limits", {{"header_bytes", 4096}, {"body_bytes", 2048}}},
                           {"timeouts", {{"read_ms", 1500}, {"shutdown_grace_ms", 100}}},
                           {"log_level", "warn"},
                           {"access_log", false},
                       }
                           .dump());
  env_ = {{"PACTUM_LISTEN", "127.0.0.1:9001"},
          {"PACTUM_DATA_DIR", "/from/env"},
          {"PACTUM_BODY_LIMIT_BYTES", "4096"},
          {"PACTUM_LOG_LEVEL", "debug"},
          {"PACTUM_ACCESS_LOG", "1"}};
  in.listen = "[::1]:9002";

  const Result<Config> loaded = load_config(in);
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->listen.host, "::1");  // command line beats environment
  EXPECT_EQ(loaded->listen.port, 9002);
  EXPECT_EQ(loaded->data_dir, "/from/env");  // environment beats file
  EXPECT_EQ(loaded->body_limit, 4096U);
  EXPECT_EQ(loaded->log_level, http::LogLevel::kDebug);
  EXPECT_TRUE(loaded->access_log);
  EXPECT_EQ(loaded->threads, 3U);  // file beats defaults
  ASSERT_TRUE(loaded->tls);
  EXPECT_EQ(loaded->tls->cert, cert);
  EXPECT_EQ(loaded->header_limit, 4096U);
  EXPECT_EQ(loaded->read_timeout, 1500ms);
  EXPECT_EQ(loaded->shutdown_grace, 100ms);

  in.data_dir = "/from/cli";
  in.threads = 5;
  const Result<Config> again = load_config(in);
  ASSERT_TRUE(again) << error_of(again);
  EXPECT_EQ(again->data_dir, "/from/cli");
  EXPECT_EQ(again->threads, 5U);
}

TEST_F(ConfigTest, ConfigFileFromTheEnvironment) {
  env_ = {{"PACTUM_CONFIG", write_file("c.json", R"({"data_dir":"/d","threads":2})")}};
  const Result<Config> loaded = load_config(sources());
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->threads, 2U);
}

TEST_F(ConfigTest, EveryProblemIsNamed) {
  ConfigSources in = sources();
  in.file = write_file("bad.json", R"({
    "listen": "nowhere",
    "threads": -1,
    "limits": {"body_bytes": 0, "header_byte": 10},
    "timeouts": 5,
    "log_level": "loud",
    "database_url": "mysql://root:hunter2@db/x",
    "base_url": "https://user@pactum.example/?q",
    "metrics_token": "short",
    "tls": {"cert": "/no/such/cert.pem"},
    "colour": "blue"
  })");
  env_ = {{"PACTUM_READ_TIMEOUT_MS", "soon"}, {"PACTUM_ACCESS_LOG", "yes"}};
  const std::string message = error_of(load_config(in));
  for (const char* expected :
       {"listen wants HOST:PORT", "\"threads\" must be a non-negative integer",
        "limits.body_bytes must be between 1", "unknown key \"limits.header_byte\"",
        "\"timeouts\" must be an object", "log_level must be",
        "database_url must be sqlite:PATH or postgresql://", "mysql://root:***@db/x",
        "base_url must not carry user information", "metrics_token must be at least 16",
        "TLS needs both tls.cert and tls.key", "unknown key \"colour\"",
        "PACTUM_READ_TIMEOUT_MS: must be a non-negative integer", "PACTUM_ACCESS_LOG: must be true",
        "no data directory"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << "a password in an error message";
}

TEST_F(ConfigTest, DatabaseBaseUrlAndMetricsTokenLayers) {
  ConfigSources in = sources();
  in.file = write_file("urls.json",
                       nlohmann::json{
                           {"data_dir", "/d"},
                           {"database_url", "sqlite:file.db"},
                           {"base_url", "http://file.example"},
                           {"metrics_token", "file-token-0123456789"},
                       }
                           .dump());
  Result<Config> loaded = load_config(in);
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->database_url, "sqlite:file.db");
  EXPECT_EQ(loaded->base_url, "http://file.example");
  EXPECT_EQ(loaded->metrics_token, "file-token-0123456789");

  env_ = {{"PACTUM_DATABASE_URL", "postgresql://pactum:pw@db.internal:5432/pactum"},
          {"PACTUM_BASE_URL", "https://env.example:8443/sign"},
          {"PACTUM_METRICS_TOKEN", "env-token-0123456789"}};
  loaded = load_config(in);
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->database_url, "postgresql://pactum:pw@db.internal:5432/pactum");
  EXPECT_EQ(loaded->base_url, "https://env.example:8443/sign");
  EXPECT_EQ(loaded->metrics_token, "env-token-0123456789");
  const nlohmann::ordered_json summary = config_summary(*loaded);
  EXPECT_EQ(summary["database_url"], "postgresql://pactum:***@db.internal:5432/pactum");
  EXPECT_EQ(summary["metrics_token"], true);
  EXPECT_EQ(summary.dump().find("env-token"), std::string::npos);

  in.database_url = "sqlite:/var/lib/pactum/cli.db";
  in.base_url = "https://cli.example";
  loaded = load_config(in);
  ASSERT_TRUE(loaded) << error_of(loaded);
  EXPECT_EQ(loaded->database_url, "sqlite:/var/lib/pactum/cli.db");
  EXPECT_EQ(loaded->base_url, "https://cli.example");

  in.database_url = "sqlite:";
  in.base_url = "https://:80";
  env_["PACTUM_METRICS_TOKEN"] = "has a space in it, long enough";
  const std::string message = error_of(load_config(in));
  for (const char* expected : {"sqlite: needs a path", "base_url has no host",
                               "metrics_token must be printable ASCII without spaces"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
  EXPECT_EQ(message.find("has a space"), std::string::npos) << "the token is never echoed";
}

TEST(MaskUrlPassword, OnlyThePasswordIsHidden) {
  EXPECT_EQ(mask_url_password("postgresql://u:p%40ss@h:5/db?sslmode=require"),
            "postgresql://u:***@h:5/db?sslmode=require");
  EXPECT_EQ(mask_url_password("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(mask_url_password("postgresql://h/db?user=a@b"), "postgresql://h/db?user=a@b");
  EXPECT_EQ(mask_url_password("sqlite:/x:y@z"), "sqlite:/x:y@z");
}

TEST_F(ConfigTest, UnreadableOrNonObjectFiles) {
  ConfigSources in = sources();
  in.data_dir = "/d";
  in.file = dir_ + "/missing.json";
  EXPECT_NE(error_of(load_config(in)).find("cannot be read"), std::string::npos);
  in.file = write_file("array.json", "[1,2]");
  EXPECT_NE(error_of(load_config(in)).find("is not a JSON object"), std::string::npos);
  in.file = write_file("broken.json", "{\"listen\": ");
  EXPECT_NE(error_of(load_config(in)).find("is not a JSON object"), std::string::npos);
}

TEST_F(ConfigTest, TlsFilesMustBeReadable) {
  ConfigSources in = sources();
  in.data_dir = "/d";
  env_ = {{"PACTUM_TLS_CERT", dir_ + "/nope.pem"}, {"PACTUM_TLS_KEY", dir_ + "/nope.key"}};
  const std::string message = error_of(load_config(in));
  EXPECT_NE(message.find("tls.cert"), std::string::npos) << message;
  EXPECT_NE(message.find("tls.key"), std::string::npos) << message;
}

}  // namespace
}  // namespace pactum::node

#pragma once

// A fresh, empty database per test case on each engine, for any layer's tests: a SQLite file in
// the test's temporary directory, or a new database on the throwaway PostgreSQL that CTest starts
// (its URI is in the file named by PACTUM_TEST_POSTGRES_URL_FILE), dropped when the test ends.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "pactum/store/database.h"
#include "test_files.h"

namespace pactum::testing {

// admin_postgres_url returns the throwaway server's URI, or "" when the test runs outside CTest.
inline std::string admin_postgres_url() {
  const char* file = std::getenv("PACTUM_TEST_POSTGRES_URL_FILE");
  if (file == nullptr) {
    return "";
  }
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

// with_database replaces the database name at the end of a postgresql:// URI.
inline std::string with_database(const std::string& url, const std::string& name) {
  return url.substr(0, url.rfind('/') + 1) + name;
}

// TestDatabase owns one empty database for a test.
class TestDatabase {
 public:
  // create makes it; on failure it records a gtest failure (or skip) and returns null.
  static std::unique_ptr<TestDatabase> create(store::Engine engine, std::size_t pool_size = 4) {
    auto test = std::unique_ptr<TestDatabase>(new TestDatabase());
    test->engine_ = engine;
    if (engine == store::Engine::kSqlite) {
      test->dir_ = fresh_temp_dir("pactum_store");
      test->url_ = "sqlite:" + test->dir_ + "/pactum.db";
    } else {
      test->admin_url_ = admin_postgres_url();
      if (test->admin_url_.empty()) {
        ADD_FAILURE() << "PACTUM_TEST_POSTGRES_URL_FILE is not set: run through ctest, which "
                         "starts the throwaway PostgreSQL";
        return nullptr;
      }
      static std::atomic<int> counter{0};
      test->name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
      auto admin = store::open_database({.url = test->admin_url_, .pool_size = 1});
      if (!admin) {
        ADD_FAILURE() << admin.error().message;
        return nullptr;
      }
      auto lease = (*admin)->acquire();
      EXPECT_TRUE(lease.has_value());
      if (!lease) {
        return nullptr;
      }
      // CREATE DATABASE takes no parameters; the name is ours, made of letters and digits.
      auto created = (*lease)->run_script("CREATE DATABASE " + test->name_);
      if (!created) {
        ADD_FAILURE() << created.error().message;
        return nullptr;
      }
      test->url_ = with_database(test->admin_url_, test->name_);
      test->dir_ = fresh_temp_dir("pactum_store");
    }
    auto opened = store::open_database({.url = test->url_, .pool_size = pool_size});
    if (!opened) {
      ADD_FAILURE() << opened.error().message;
      return nullptr;
    }
    test->database_ = std::move(*opened);
    return test;
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  ~TestDatabase() {
    database_.reset();
    if (!name_.empty()) {
      auto admin = store::open_database({.url = admin_url_, .pool_size = 1});
      if (admin) {
        if (auto lease = (*admin)->acquire()) {
          (void)(*lease)->run_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        }
      }
    }
  }

  store::Database& database() { return *database_; }
  [[nodiscard]] const std::string& url() const { return url_; }
  // dir is a private temporary directory for the test (the SQLite file lives there).
  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] store::Engine engine() const { return engine_; }
  // close closes the pool (e.g. before reading the SQLite file's bytes).
  void close() { database_.reset(); }

 private:
  TestDatabase() = default;

  store::Engine engine_ = store::Engine::kSqlite;
  std::string url_;
  std::string admin_url_;
  std::string name_;
  std::string dir_;
  std::unique_ptr<store::Database> database_;
};

// EngineName prints the engine in parameterised test names.
struct EngineName {
  std::string operator()(const ::testing::TestParamInfo<store::Engine>& info) const {
    return info.param == store::Engine::kSqlite ? "Sqlite" : "Postgres";
  }
};

// kBothEngines is the parameter set of every repository and database test.
inline const auto kBothEngines =
    ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres);

}  // namespace pactum::testing

namespace pactum::store {
// PrintTo names the engine in gtest's messages and test names.
inline void PrintTo(Engine engine, std::ostream* out) { *out << engine_name(engine); }
}  // namespace pactum::store

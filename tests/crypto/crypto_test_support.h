#pragma once

// Small helpers shared by the crypto tests: a private temporary directory, file output, and
// running the openssl command line as an independent judge.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"

namespace pactum::crypto::testing {

// fresh_temp_dir returns an empty directory under the gtest temporary directory, unique to the
// running test and process.
inline std::string fresh_temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (c == '/') {
      c = '_';
    }
  }
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("pactum_crypto_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// write_bytes stores bytes at path, replacing any file there.
inline void write_bytes(const std::string& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(as_chars(bytes).data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

// run_quiet runs a shell command with its output discarded and returns its exit status (-1 if
// it did not exit normally).
inline int run_quiet(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace pactum::crypto::testing

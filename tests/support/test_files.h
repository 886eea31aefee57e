#pragma once

// Helpers every test layer shares: a private temporary directory per test case and process,
// writing bytes to a file, and running a command line (the openssl and poppler judges).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"

namespace pactum::testing {

// fresh_temp_dir returns an empty directory under the gtest temporary directory, unique to the
// running test case and process (CTest runs test cases as separate processes in parallel);
// prefix names the layer, e.g. "pactum_crypto".
inline std::string fresh_temp_dir(std::string_view prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (c == '/') {
      c = '_';
    }
  }
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      (std::string(prefix) + "_" + std::to_string(::getpid()) + "_" + name);
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

// CommandResult is the exit status and the combined stdout and stderr of a command.
struct CommandResult {
  int exit_status = -1;
  std::string output;
};

// run_command runs a shell command and captures its output (stderr included); exit_status is
// -1 if it did not exit normally.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    result.output += buffer.data();
  }
  const int status = ::pclose(pipe);
  result.exit_status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// run_quiet runs a shell command with its output discarded and returns its exit status.
inline int run_quiet(const std::string& command) { return run_command(command).exit_status; }

}  // namespace pactum::testing

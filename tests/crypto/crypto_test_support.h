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
#include "test_files.h"

namespace pactum::crypto::testing {

// fresh_temp_dir returns an empty directory unique to the running test and process.
inline std::string fresh_temp_dir() { return pactum::testing::fresh_temp_dir("pactum_crypto"); }

using pactum::testing::run_quiet;
using pactum::testing::write_bytes;

}  // namespace pactum::crypto::testing

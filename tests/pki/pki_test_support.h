#pragma once

// Helpers shared by the pki tests: a private temporary directory per test and process, a CA
// made at a fixed offset from the judge's clock, and the openssl command line as an independent
// judge whose output the tests read.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "pactum/base/atomic_file.h"
#include "pactum/base/bytes.h"
#include "pactum/pki/ca.h"
#include "test_files.h"

namespace pactum::pki::testing {

// fresh_temp_dir returns an empty directory unique to the running test and process.
inline std::string fresh_temp_dir() { return pactum::testing::fresh_temp_dir("pactum_pki"); }

using pactum::testing::CommandResult;
using pactum::testing::run_command;
using pactum::testing::write_bytes;

// judge_now is the clock of the openssl judges (which check validity against the real time),
// rounded to whole seconds as certificates and CRLs record it; the library itself never reads a
// clock.
inline std::chrono::system_clock::time_point judge_now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

inline constexpr std::string_view kBaseUrl = "http://pki.pactum.test";

// test_urls returns the URLs of kBaseUrl.
inline PkiUrls test_urls() { return PkiUrls::from_base_url(kBaseUrl).value(); }

// make_test_ca creates a CA in dir whose certificates began a day before now.
inline CertificateAuthority make_test_ca(const std::string& dir,
                                         std::chrono::system_clock::time_point now) {
  auto ca =
      CertificateAuthority::create(dir, CaSettings{}, test_urls(), now - std::chrono::days(1));
  EXPECT_TRUE(ca.has_value()) << (ca ? "" : ca.error().describe());
  return std::move(ca.value());
}

// person_request asks for a one-year person certificate for key, starting an hour before now.
inline IssueRequest person_request(const crypto::PrivateKey& key,
                                   std::chrono::system_clock::time_point now) {
  return IssueRequest{subject_public_key_info(key).value(),
                      SubjectName{"张三", "", "110101199003071234", "CN"},
                      now - std::chrono::hours(1), now + std::chrono::days(365)};
}

// write_pem writes certificate as PEM to path.
inline void write_certificate(const std::string& path, const crypto::Certificate& certificate) {
  write_bytes(path, as_bytes(certificate.to_pem().value()));
}

}  // namespace pactum::pki::testing

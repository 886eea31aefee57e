#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pactum::cli {

// VerifyOptions is what `pactum verify` reads from the command line.
struct VerifyOptions {
  std::string in;
  std::vector<std::string> trust_paths;  // PEM files, each with one or more root certificates
  std::optional<std::string> at;         // validation time, e.g. 2026-01-02T03:04:05Z
  bool json = false;
  bool online = false;  // fetch missing revocation data from the certificates' OCSP/CRL URLs
};

// add_verify_command declares `pactum verify` on app and returns it.
CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options);

// run_verify validates the file and prints the report. Returns the exit status: 0 every
// signature valid and nothing disallowed changed, 1 invalid or altered (or no signature), 2
// indeterminate, 3 when the tool itself failed (unreadable file or trust anchor, bad --at).
int run_verify(const VerifyOptions& options);

}  // namespace pactum::cli

#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace pactum::cli {

// PkiCommands declares `pactum ca init|issue|revoke|crl` and `pactum tsa stamp|verify` and runs
// whichever was parsed. The behaviour lives in pactum_pki (platform_pki.h, file_timestamp.h).
class PkiCommands {
 public:
  // PkiCommands adds the two command groups to app.
  explicit PkiCommands(CLI::App& app);

  // parsed reports whether one of these commands was given.
  [[nodiscard]] bool parsed() const;

  // run executes it and returns the exit status: 0 success; 1 failure (for `tsa verify`: the
  // time-stamp does not verify); 3 for `tsa verify` when the tool itself failed (unreadable
  // file or anchor).
  [[nodiscard]] int run() const;

  // Options holds what the command line gave (defined in pki_commands.cc).
  struct Options;

 private:
  std::shared_ptr<Options> options_;
};

}  // namespace pactum::cli
